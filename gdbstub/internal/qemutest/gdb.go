package qemutest

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// GDBTimeout bounds one gdb-multiarch -batch run.
const GDBTimeout = 60 * time.Second

// GDB runs gdb-multiarch -batch on the program, connected to addr, with the
// given commands, and returns its combined output. The test fails if gdb
// does not finish within GDBTimeout.
func GDB(t testing.TB, prog *Prog, addr string, cmds ...string) string {
	t.Helper()
	bin := Need(t, GDBBinary)
	args := []string{"-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off",
		"-ex", "set architecture riscv:rv64", "-ex", "target remote " + addr}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	args = append(args, prog.Path)
	ctx, cancel := context.WithTimeout(context.Background(), GDBTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("gdb did not finish within %v:\n%s", GDBTimeout, out)
	}
	if err != nil {
		t.Logf("gdb exited with %v", err)
	}
	return string(out)
}
