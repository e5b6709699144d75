package kernel_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
)

// TestUintrHandlerThroughVDSO: a user program runs the user-interrupt
// handler's machine code from the vDSO (uintr's Handle, Unlock and the
// handler entry's body) and its own compiled copy on two identical
// processes' pages, playing the kernel's part (records, a held lock so
// the handler defers); every byte must agree after each of 3,000 rounds
// (the program exits 1 otherwise), and the rounds must exercise wakes,
// stray records and deferral. With -icount the handler's cost is in
// guest instructions. The handler's C entry is also called once as a C
// function: it wakes, keeps s0–s10, and its uiret system call (outside a
// delivery) comes back with an error. The kernel's delivery is not wired
// yet.
func TestUintrHandlerThroughVDSO(t *testing.T) {
	m := bootIcount(t, "run vdsouintr -n 3000")
	g := expect(t, m, `vdsouintr: ok: 3000 rounds agree; (\d+) wakes, (\d+) stray, (\d+) deferred; handler (\d+) instructions through the vDSO`)
	t.Logf("%s", g[0])
	if atoi(t, g[1]) < 1000 || atoi(t, g[2]) < 100 || atoi(t, g[3]) < 300 {
		t.Errorf("too few wakes, strays or deferrals: %s", g[0])
	}
	t.Logf("%s", expect(t, m, `C entry: woke its coroutine, kept s0-s10, uiret answered -\d+`)[0])
	expect(t, m, `run vdsouintr: exited with status 0`)
	wantExit(t, m, 0)
}

// The kernel side of user interrupts and async calls, in the guest
// (kernel/proc/uintr.go; programs kernel/user/uintrchk and uintrring).
// Boots use -icount shift=0: guest time is retired instructions, so the
// numbers do not depend on how busy the host is.

// TestUintrRing: the token goes around rings of 16 and 64 stages (async
// coroutines; sync threads) and of 256 and 512 (async, 8 and 16
// processes) correctly,
// each run reporting its per-stage latency. The timed comparison of all
// sizes is BenchmarkUintrRing.
func TestUintrRing(t *testing.T) {
	for _, c := range []struct {
		mode           string
		stages, rounds int
	}{{"async", 16, 10}, {"sync", 16, 10}, {"async", 64, 4}, {"sync", 64, 4}, {"async", 256, 1}, {"async", 512, 1}} {
		t.Run(fmt.Sprintf("%s-%d", c.mode, c.stages), func(t *testing.T) {
			r := ringRun(t, c.mode, c.stages, c.rounds)
			t.Logf("%s %d stages: per stage %d ns, %d instructions (%d processes)", c.mode, c.stages, r.ns, r.instr, r.procs)
		})
	}
}

// ringResult is one ring run's measurement.
type ringResult struct{ ns, instr, procs int }

// ringRun boots one ring and returns its per-stage latency; the token
// must come back right every round and every process exit with 0.
func ringRun(t testing.TB, mode string, stages, rounds int) ringResult {
	t.Helper()
	m := bootIcount(t, fmt.Sprintf("run -t 600s uintrring %s -s %d -r %d", mode, stages, rounds))
	g := expect(t, m, fmt.Sprintf(`uintrring: %s %d stages \((\d+) processes\) x %d rounds: token ok; \d+ hops in \S+; per stage (\d+) ns, (\d+) instructions`, mode, stages, rounds))
	expect(t, m, `run uintrring: exited with status 0`)
	wantExit(t, m, 0)
	return ringResult{ns: atoi(t, g[2]), instr: atoi(t, g[3]), procs: atoi(t, g[1])}
}

// TestUintrSlots: 150 coroutines each start an async sleep at once —
// more than the receiver's 64 calls in flight: the refused calls wait for
// a free slot (package cops) and every sleep completes.
func TestUintrSlots(t *testing.T) {
	m := bootIcount(t, "run uintrchk slots -c 150 -d 50ms")
	t.Logf("%s", expect(t, m, `uintrchk: slots: ok: 150 async sleeps at once, 64 in flight at most: (\d+) waited for a free slot, all done`)[0])
	wantExit(t, m, 0)
}

// TestUintrStress: 4 processes side by side make 10,000 async calls each
// (sleeps of 0 and pipe round trips over 16 coroutines): each completes
// exactly once with its own result, and the receiver drains exactly as
// many records, none stray. 1,000,000 calls: BenchmarkUintrStress.
func TestUintrStress(t *testing.T) { uintrStress(t, 10000, guestWait) }

// uintrStress boots 4 stress processes of per calls each and waits up to
// wait for their results (the kernel's time limit is wait too).
func uintrStress(t testing.TB, per int, wait time.Duration) {
	t.Helper()
	arg := fmt.Sprintf("uintrchk,stress,-n,%d", per)
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait+time.Minute)
	defer cancel()
	args := p.QEMUArgs(kernelImage(t), boards.RunOptions{Append: fmt.Sprintf("runall -t %ds %s", int(wait.Seconds()), strings.Repeat(arg+" ", 4))})
	m, err := qemu.Start(ctx, qemuBinary, append(args, "-icount", "shift=0"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Kill()
	re := regexp.MustCompile(`uintrchk: stress: ok: (\d+) async calls over 16 coroutines, none lost or duplicated \((\d+) drained, 0 stray\); \S+, (\d+) ns and (\d+) instructions per call`)
	total := 0
	for range 4 {
		line, err := m.Expect(re, wait)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", re.FindString(line))
		total += atoi(t, re.FindStringSubmatch(line)[1])
	}
	t.Logf("%d async calls over 4 processes, none lost or duplicated", total)
	expect(t, m, `runall: 4 processes, frames free (\d+) before, (\d+) after`)
	wantExit(t, m, 0)
}

// TestUintrGrantAndBadHandler: side by side, a process that sends
// without a grant gets EPERM (and one it granted itself is delivered), a
// process whose handler points outside its text is killed at the
// delivery with a message naming the address and its text, and a third
// one's async pipe traffic goes on to its end.
func TestUintrGrantAndBadHandler(t *testing.T) {
	m := bootIcount(t, "runall uintrchk,nogrant uintrchk,badhandler uintrchk,pipe")
	t.Logf("%s", expect(t, m, `uintrchk: nogrant: ok: send without a grant: operation not permitted \(errno 1\); granted entry \d+: sent`)[0])
	t.Logf("%s", expect(t, m, `uintrchk: pipe: ok: 50 messages through a pipe by async reads and writes, EOF, console write`)[0])
	t.Logf("%s", expect(t, m, `run uintrchk: killed: user-interrupt handler 0x[0-9a-f]+ outside its text \[0x[0-9a-f]+, 0x[0-9a-f]+\)`)[0])
	expect(t, m, `runall: 3 processes, frames free (\d+) before, (\d+) after`)
	wantExit(t, m, 137)
	if out := m.Output(); strings.Contains(out, "still alive after the delivery") || strings.Count(out, "exited with status 0") != 2 {
		t.Fatalf("want the two other processes to exit with 0:\n%s", out)
	}
}

// BenchmarkUintrRing times the pipe ring of 16, 64, 256 and 512 stages
// as async coroutines and as sync threads (one boot each, -icount
// shift=0): ns/stage and instr/stage are the guest's per-stage latency.
//
//	go test ./kernel -run '^$' -bench UintrRing -benchtime 1x
func BenchmarkUintrRing(b *testing.B) {
	for _, stages := range []int{16, 64, 256, 512} {
		for _, mode := range []string{"async", "sync"} {
			b.Run(fmt.Sprintf("%s-%d", mode, stages), func(b *testing.B) {
				rounds := max(2, 2048/stages)
				var r ringResult
				for range b.N {
					r = ringRun(b, mode, stages, rounds)
				}
				b.ReportMetric(float64(r.ns), "ns/stage")
				b.ReportMetric(float64(r.instr), "instr/stage")
				b.ReportMetric(float64(r.procs), "processes")
			})
		}
	}
}

// BenchmarkUintrStress is the lost-wakeup stress at full size: 4
// processes × 250,000 async calls, none lost or duplicated.
//
//	go test ./kernel -run '^$' -bench UintrStress -benchtime 1x
func BenchmarkUintrStress(b *testing.B) {
	for range b.N {
		uintrStress(b, 250000, 45*time.Minute)
	}
}

// TestUintrBufferOnMovingStack: a coroutine reads with an async call into
// a local array while the garbage collector moves its parked stack; the
// message must arrive in the buffer it then looks at (package cops pins
// an async call's buffer; one left on the stack reads back zeros: the
// kernel wrote into the stack's old copy).
func TestUintrBufferOnMovingStack(t *testing.T) {
	m := bootIcount(t, "run uintrchk stackmove -n 20")
	g := expect(t, m, `uintrchk: stackmove: ok: 20 async reads into a local buffer, the reader's stack moved during (\d+) of them, every message arrived`)
	t.Logf("%s", g[0])
	expect(t, m, `run uintrchk: exited with status 0`)
	wantExit(t, m, 0)
}
