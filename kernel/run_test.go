package kernel_test

import (
	"testing"
)

// testProgs are the Go user programs (kernel/user, K3) embedded in the
// test kernel.
var testProgs = []string{"user/hello", "user/gostress", "user/threads", "user/spin", "user/nilderef", "user/memhog",
	"user/execer", "user/pipeping", "user/init", "user/sh", "user/sysfuzz", "user/timenow", "user/vdsosched", "user/coyield", "user/coprio", "user/vdsouintr",
	"user/copsplace", "user/copsscribble", "user/uintrchk", "user/uintrring", "user/uintrlock"}

// TestRepeatRuns runs the Go hello program 100 times in one boot: every
// run must exit with 0 and the frame pool must be back to its start
// value (issue 3's leak criterion).
func TestRepeatRuns(t *testing.T) { checkRepeat(t, "hello") }

// checkRepeat boots `repeat 100 NAME`: all 100 runs must exit with 0 and
// the frame pool must end where it started.
func checkRepeat(t *testing.T, name string) {
	m := bootProfile(t, "repeat 100 "+name)
	g := expect(t, m, `repeat: 100 runs of `+name+` in \d+ ms \(([0-9.]+) ms each\), exit statuses map\[0:100\], frames free (\d+) before, (\d+) after`)
	t.Logf("%s", g[0])
	if g[2] != g[3] {
		t.Errorf("frames leaked: %s", g[0])
	}
	wantExit(t, m, 0)
}

// TestUserConsoleInput types into QEMU's stdin while "ucat" runs: the
// line is echoed (terminal echo), then written back by the program, and
// Ctrl-D ends it with status 0.
func TestUserConsoleInput(t *testing.T) {
	m := bootProfile(t, "run ucat")
	expect(t, m, `bootargs "run ucat"`)
	m.Write([]byte("typed line 1\r"))
	expect(t, m, `typed line 1\r?\n(\r?\n)?typed line 1`)
	m.Write([]byte("second\r\x04"))
	expect(t, m, `second\r?\n(\r?\n)?second`)
	expect(t, m, `run ucat: exited with status 0 after \d+ system calls`)
	wantExit(t, m, 0)
}

// TestRunUserPrograms boots `-append "run NAME"` for each built-in user
// program (kernel/uprog) and checks its output, how it ended, the QEMU
// exit status and that every frame came back.
func TestRunUserPrograms(t *testing.T) {
	cases := []struct {
		append string
		want   []string // patterns, in order
		status int
	}{
		{"run uhello", []string{`hello from user mode`, `run uhello: exited with status 7 after 2 system calls`}, 7},
		{"run efault", []string{`run efault: exited with status 14 after 2 system calls`}, 14}, // EFAULT
		{"run segv", []string{`run segv: killed: load page fault at pc=0x10078 addr=0x0; status 139`}, 139},
		{"run illegal", []string{`run illegal: killed: illegal instruction at pc=0x10078 addr=0x0; status 132`}, 132},
		{"run kernelmem", []string{`run kernelmem: killed: load page fault at pc=0x10080 addr=0x80000000; status 139`}, 139},
		{"run -t 300ms uspin", []string{`run uspin: killed: time limit 300ms at pc=0x10078 addr=0x0; status 137; ([1-9]\d*) interrupts while in user mode`}, 137},
		{"run nullsys", []string{`nullsys: 1000 getpid round trips U->M->kernel Go->U: (\d+) cycles, (\d+) instructions each`,
			`nullsys: of which (\d+) instructions per entry from rtUserEnter until it returns .*; \d+ entries\)`}, 0},
		{"run yieldbench", []string{`run yieldbench: exited with status 0 after \d+ system calls`,
			`yieldbench: 1000 sched_yield rounds \(2 thread switches each\): (\d+) cycles, (\d+) instructions per switch`}, 0},
		// Several processes side by side: round robin on every trap and tick.
		{"runall pyield pyield", []string{`pyield \(pid 1\): 1000 sched_yield calls: (\d+) cycles, (\d+) instructions each`,
			`pyield \(pid 2\): 1000 sched_yield calls`, `runall: 2 processes,`}, 0},
		// An endless loop does not keep another process from finishing.
		{"runall -t 3s spin hello", []string{`hello, world`, `run spin: killed: time limit 3s`,
			`run hello: exited with status 0`, `runall: 2 processes,`}, 137},
		{"run nosuch", []string{`run nosuch: no program "nosuch"`}, 1},
		// Ordinary Go programs (GOOS=linux GOARCH=riscv64, stock toolchain).
		{"run hello first second", []string{`hello, world\r?\narg 1: first\r?\narg 2: second`, `run hello: exited with status 0`}, 0},
		{"run threads", []string{`threads: ok workers=\d+ threads=\d+ primes=\d+`, `run threads: exited with status 0`}, 0},
		{"run gostress", []string{`gostress: ok workers=64 items=20000 sum=\d+ gcs>=5`, `run gostress: exited with status 0`}, 0},
		// The fault is delivered as SIGSEGV with Linux's signal frame; the
		// Go runtime's handler turns it into a panic (status 2).
		{"run nilderef", []string{`panic: runtime error: invalid memory address or nil pointer dereference`,
			`\[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x[0-9a-f]+\]`,
			`goroutine 1 \[running\]:\r?\nmain\.main\(\)`,
			`run nilderef: exited with status 2`, `run nilderef: \d+ signals sent, 1 faults delivered as signals`}, 2},
		{"procmem=32M run memhog", []string{`memhog: 16 MiB`, `run memhog: killed: out of memory \(8192 pages in use\)`}, 137},
		// Issue 3: 100,000 random system calls (numbers and arguments)
		// from user mode leave the kernel running and every frame freed.
		{"run -t 200s sysfuzz -n 100000 -seed 1", []string{`sysfuzz: seed=1 calls=100000 done`,
			`sysfuzz: ok=\d+ errors=\d+ skipped=\d+`, `run sysfuzz: exited with status 0`}, 0},
		{"run -t 1s spin", []string{`spin: spinning`, `run spin: killed: time limit 1s .*; ([1-9]\d*) interrupts while in user mode`}, 137},
	}
	for _, c := range cases {
		t.Run(c.append, func(t *testing.T) {
			m := bootProfile(t, c.append)
			for _, w := range c.want {
				got := expect(t, m, w)
				if len(got) > 1 {
					t.Logf("%s", got[0])
				}
			}
			if c.status != 1 {
				g := expect(t, m, `frames free (\d+) before, (\d+) after`)
				if g[1] != g[2] {
					t.Errorf("frames leaked: %s", g[0])
				}
			}
			wantExit(t, m, c.status)
		})
	}
}
