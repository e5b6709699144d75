package kernel_test

import (
	"testing"

	"copslab/boards"
)

// TestEnvironmentAssignments: `VAR=value NAME` puts VAR into the
// program's environment, on top of the default PATH/HOME/TERM — as a
// boot argument (run), on the kernel's console (run) and in the user
// shell (sh). osinfo prints os.Getenv of every name it is given.
func TestEnvironmentAssignments(t *testing.T) {
	kernel := compatKernel(t)
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("run boot argument", func(t *testing.T) {
		m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "run GREETING=hi HOME=/tmp osinfo GREETING"})...)
		expect(t, m, `osinfo: PATH=/bin HOME=/tmp TERM=vt100`)
		expect(t, m, `osinfo: GREETING=hi\r?\n`)
		expect(t, m, `run osinfo: exited with status 0`)
		wantExit(t, m, 0)
	})
	t.Run("console run", func(t *testing.T) {
		m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "console"})...)
		expect(t, m, `copslab: console ready`)
		m.Write([]byte("run GREETING=hello osinfo GREETING\r"))
		expect(t, m, `osinfo: PATH=/bin HOME=/ TERM=vt100`)
		expect(t, m, `osinfo: GREETING=hello\r?\n`)
		expect(t, m, `run osinfo: exited with status 0`)
		m.Write([]byte("run osinfo GREETING\r")) // not kept for the next program
		expect(t, m, `osinfo: GREETING=\r?\n`)
		m.Write([]byte("halt 4\r"))
		wantExit(t, m, 4)
	})
	t.Run("sh", func(t *testing.T) {
		m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "run sh"})...)
		expect(t, m, `\$ `)
		m.Write([]byte("GREETING=\"hi there\" TERM=dumb osinfo GREETING\r"))
		expect(t, m, `osinfo: PATH=/bin HOME=/ TERM=dumb`)
		expect(t, m, `osinfo: GREETING=hi there\r?\n`)
		m.Write([]byte("osinfo GREETING\r"))
		expect(t, m, `osinfo: GREETING=\r?\n`)
		m.Write([]byte("exit 5\r"))
		expect(t, m, `run sh: exited with status 5`)
		wantExit(t, m, 5)
	})
}
