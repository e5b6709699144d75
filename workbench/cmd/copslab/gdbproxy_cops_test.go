//go:build !ci

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"copslab/workbench/internal/testkernel"
)

// copsGDBScript stops gdb at the kernel's write system call until a
// copsplace process's coroutine is Running (its lines are written from
// inside the coroutine), then shows the thread list, the backtrace of
// that coroutine (its process's running thread: the executor calling the
// coroutine's step) and the backtrace of one that is not running; then
// stops in the timer queue's work, where a kernel coroutine runs on the
// hart, and shows its backtrace (the kernel's stack).
const copsGDBScript = `
break copslab/kernel/proc.(*call).write
python
import re
row = r"^[* ] +(\d+) +Thread \w+ \((%s)"
for i in range(400):
    gdb.execute("continue")
    out = gdb.execute("info threads", to_string=True)
    run = re.search(row % r"coroutine 0x[0-9a-f]+ of pid \d+ \(copsplace\) Running", out, re.M)
    if run:
        break
gdb.execute("delete")
print(out)
print("=== bt of the running coroutine")
gdb.execute("thread " + run.group(1))
gdb.execute("bt 8")
idle = re.search(row % r"coroutine 0x[0-9a-f]+ of .*: not running", out, re.M)
print("=== bt of a coroutine that is not running")
gdb.execute("thread " + idle.group(1))
gdb.execute("bt 8")
gdb.execute("break copslab/kernel/proc.(*Sched).expire")
gdb.execute("continue")
gdb.execute("delete")
out = gdb.execute("info threads", to_string=True)
print(out)
print("=== bt of the running kernel coroutine")
kern = re.search(row % r"kernel coroutine 0x[0-9a-f]+ Running .* on the hart", out, re.M)
gdb.execute("thread " + kern.group(1))
gdb.execute("bt 3")
end
kill
`

// TestOSAwareProxyCoroutines: gdb-multiarch -batch through `copslab
// gdbproxy --kernel` lists the kernel's coroutines and the coroutines of
// two copsplace processes in `info threads` (state, priority, kind,
// owner), and `bt` of a Running coroutine unwinds its process's thread
// in the copsplace program's code (its write system call: gdb's unwinder
// stops after syscall.RawSyscall6, as it does on any copsplace thread); a coroutine that is not running
// has no stack: one frame at pc 0; a Running kernel coroutine is the
// hart.
func TestOSAwareProxyCoroutines(t *testing.T) {
	p := testkernel.Board(t)
	if _, err := exec.LookPath(p.GDB.Binary); err != nil {
		t.Skipf("%s not installed", p.GDB.Binary)
	}
	prog := buildUserProg(t, "copsplace")
	// Guest time by instructions (-icount): both copies spawn their
	// coroutine before 300 ms of guest time, however busy the host.
	ctx, kernel, listen, _ := startOSProxy(t, p, "runall copsplace,-prio,5,-lines,6,-at,300ms copsplace,-prio,2,-lines,6,-at,300ms",
		"-icount", "shift=0")
	script := filepath.Join(t.TempDir(), "cops.gdb")
	if err := os.WriteFile(script, []byte(copsGDBScript), 0o644); err != nil {
		t.Fatal(err)
	}
	gdb := exec.CommandContext(ctx, p.GDB.Binary, "-batch", "-nx", kernel,
		"-ex", "target remote "+listen,
		"-ex", "add-symbol-file "+prog,
		"-x", script)
	out, err := gdb.CombinedOutput() // exits 1: kill ends the connection
	text := string(out)
	if ctx.Err() != nil {
		t.Fatalf("gdb: %v (timed out)\n%s", err, text)
	}
	for _, re := range []string{
		// the kernel's own coroutines: the scheduler and the console driver
		`Thread \w+ \(kernel coroutine 0x[0-9a-f]+ \w+ prio \d kernel-sched \(the process scheduler\)[:)]`,
		`Thread \w+ \(kernel coroutine 0x[0-9a-f]+ \w+ prio 0 kernel-syscall \(console driver\)[:)]`,
		// both copsplace processes' coroutines, at their priorities
		`Thread \w+ \(coroutine 0x[0-9a-f]+ of pid \d+ \(copsplace\) \w+ prio 5 user`,
		`Thread \w+ \(coroutine 0x[0-9a-f]+ of pid \d+ \(copsplace\) Running prio 2 user on tid \d+\)`,
		// bt of the running one: at least one frame, in the program's code
		`=== bt of the running coroutine\n\[Switching to thread \d+ \(Thread \w+\)\]\n#0 +[\w./]+ \(.*\n(.*\n)*#1 +0x[0-9a-f]+ in [\w./]+ \(`,
		`Thread \w+ \((kernel )?coroutine 0x[0-9a-f]+ .*(Ready|Blocked) .*: not running, no stack of its own\) +0x0+ in \?\? \(\)`,
		// the timer queue runs a kernel coroutine on the hart: bt is the kernel's
		`Thread \w+ \(kernel coroutine 0x[0-9a-f]+ Running prio 1 kernel-syscall on the hart\)`,
		`=== bt of the running kernel coroutine\n\[Switching to thread \d+ \(Thread \w+\)\]\n#0 +copslab/kernel/proc\.\(\*Sched\)\.expire \(`,
		`=== bt of a coroutine that is not running\n\[Switching to thread \d+ \(Thread \w+\)\]\n#0 +0x0+ in \?\? \(\)\n`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("gdb output lacks %s", re)
		}
	}
	if t.Failed() {
		t.Logf("gdb: %v\n%s", err, text)
		return
	}
	t.Logf("gdb:\n%s", text[strings.Index(text, "  Id"):])
}
