package kernel_test

import (
	"regexp"
	"testing"
	"time"
)

// TestProcessCreation runs programs that create processes from user
// code: os/exec (vfork clone, execve of /bin/hello, pipes for its
// output, wait4 for its status; a missing program fails cleanly) and a
// pipe ping-pong between two processes. Every frame must come back.
func TestProcessCreation(t *testing.T) {
	cases := []struct {
		append string
		want   []string
	}{
		{"run execer", []string{`execer: hello said "hello, world" \+ 2 args, exit 0`, `execer: missing program: error ok`,
			`execer: ok`, `run execer: exited with status 0`}},
		{"run pipeping", []string{`pipeping: 100 round trips ok`, `run pipeping: exited with status 0`}},
	}
	for _, c := range cases {
		t.Run(c.append, func(t *testing.T) {
			m := bootProfile(t, c.append)
			for _, w := range c.want {
				expect(t, m, w)
			}
			g := expect(t, m, `frames free (\d+) before, (\d+) after`)
			if g[1] != g[2] {
				t.Errorf("frames leaked: %s", g[0])
			}
			wantExit(t, m, 0)
		})
	}
}

// TestRepeatSpawn runs execer (which starts two children) 100 times in
// one boot: the frame pool must be back to its start value.
func TestRepeatSpawn(t *testing.T) { checkRepeat(t, "execer") }

// TestShell boots without -append: init starts sh on the console. The
// test types commands and checks what the shell prints: a program with
// arguments, ps (from the kernel's /proc), a background job killed with
// kill, the statuses wait4 reported (a Go panic's 2), and exit.
func TestShell(t *testing.T) {
	kernel := kernelImage(t)
	start := time.Now()
	m := boot(t, "-machine", "virt", "-m", "512M", "-nographic", "-bios", "none", "-kernel", kernel)
	expect(t, m, `init: starting sh\r?\n\$ `)
	t.Logf("QEMU start to shell prompt: %v (wall clock, host shared with other jobs)", time.Since(start))
	m.Write([]byte("hello a \"b c\"\r"))
	expect(t, m, `hello, world\r?\narg 1: a\r?\narg 2: b c\r?\n\$ `)
	m.Write([]byte("spin &\r"))
	g := expect(t, m, `\[started (\d+)\]`)
	pid := g[1]
	m.Write([]byte("ps\r"))
	expect(t, m, `PID +TID STATE PRIO NAME`)
	expect(t, m, `\n +1 +1 +[RS] +20 init`)
	expect(t, m, `\n +\d+ +\d+ +[RS] +20 sh`)
	expect(t, m, `\n +`+pid+` +`+pid+` +[RS] +20 spin`)
	m.Write([]byte("kill $!\r"))
	expect(t, m, `\[done `+pid+` status 137\]`)
	m.Write([]byte("nilderef\r"))
	expect(t, m, `panic: runtime error: invalid memory address or nil pointer dereference`)
	expect(t, m, `\[exit 2\]`)
	// A memory hog is killed with the kernel's reason; the shell and the
	// kernel keep running.
	m.Write([]byte("memhog\r"))
	expect(t, m, `copslab: pid \d+ \(memhog\) killed: out of memory \(\d+ pages in use\)`)
	expect(t, m, `\[signal killed\]`)
	m.Write([]byte("nosuch\r"))
	expect(t, m, `nosuch: not found`)
	m.Write([]byte("ps\r"))
	if _, err := m.Expect(regexp.MustCompile(`\n +`+pid+` +\d+ +[RS] +\d+ +spin`), 3*time.Second); err == nil {
		t.Errorf("killed process %s still listed by ps", pid)
	}
	m.Write([]byte("exit 3\r"))
	expect(t, m, `init: sh exited with status 3`)
	// initMode powers off with 1 instead if a frame leaked.
	wantExit(t, m, 3)
}

// BenchmarkBootToPrompt measures QEMU start to the shell's first prompt
// (issue 3: ≤ 1 s).
func BenchmarkBootToPrompt(b *testing.B) {
	kernel := kernelImage(b)
	re := regexp.MustCompile(`init: starting sh\r?\n\$ `)
	for i := 0; i < b.N; i++ {
		m := boot(b, "-machine", "virt", "-m", "512M", "-nographic", "-bios", "none", "-kernel", kernel)
		if _, err := m.Expect(re, time.Minute); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		m.Kill()
		b.StartTimer()
	}
}
