package kernel_test

import (
	"testing"
)

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
		{"run -t 300ms spin", []string{`run spin: killed: time limit 300ms at pc=0x10078 addr=0x0; status 137; ([1-9]\d*) interrupts while in user mode`}, 137},
		{"run nullsys", []string{`nullsys: 1000 getpid round trips U->M->kernel Go->U: (\d+) cycles, (\d+) instructions each`}, 0},
		{"run nosuch", []string{`run nosuch: no program "nosuch"`}, 1},
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
