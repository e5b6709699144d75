package kernel_test

import (
	"debug/elf"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"copslab/gdbstub/client"
	"copslab/kernel/proc"
	"copslab/sched"
)

// The guest stress of the user-interrupt lock protocol: a 10 kHz tick
// drives user-interrupt deliveries into the executor's lock window
// (kernel/user/uintrlock; the protocol and its exhaustive host proof are
// uintr/protocol.go), and the coverage of the window is measured, not
// assumed.
//
// The window W. QEMU's own gdb stub (the machine halted, one
// instruction per step, interrupts held off while stepping) traces the
// program's lock windows: an access watchpoint on its Local's lock word
// stops the machine before an instruction that touches it; if that
// instruction takes the lock with the executor's tag, every following
// instruction is stepped — a system call inside the window is let run to
// its return — and its pc recorded while the lock word still holds the
// tag. W is the set of those pcs: exactly where an interrupt finds the
// executor holding its lock (from the instruction after the one that
// takes it to the one that releases it, both copies of the scheduler's
// code: the program's and the vDSO's).
//
// The deliveries. Then the machine runs on at the 10 kHz tick: the
// kernel logs every delivery (pc, lock word, thread) into the program's
// memory, and the program prints the histogram of the pcs where a
// delivery found its executor holding the lock. The test asserts that
// every async call completed exactly once (submitted = completed =
// drained, none stray: a duplicate would be stray or over-drained), that
// the program ended (a lost wakeup leaves a reader blocked until the
// kernel's time limit; a deadlock the same), that deliveries landed on
// at least lockMinHit of W's pcs. A pc where a delivery found the lock
// held but which the traced windows did not reach (a rarer path, e.g.
// R4 taking the lock again) is reported beside W.
//
// Every pc of W is not hit in a run this size: a tick delivers at most
// one interrupt, 10,000 per second of guest time, and many of W's pcs
// are each executed once per async call among ~10,000 instructions of
// kernel work (the code after the submit's system call, the drain's
// Wake). BenchmarkUintrLockWindow runs long enough to hit every one;
// uintr/README.md gives the measured coverage of both.

// lockTick is the tick rate of these boots (boot option tick=).
const lockTick = 10000

// lockWindowsTraced is how many of the program's lock windows the test
// steps through to find W.
const lockWindowsTraced = 60

// lockMinHit is the share of W's pcs deliveries must hit in
// TestUintrLockWindow (measured: 48%, 377 of 778).
const lockMinHit = 0.15

// TestUintrLockWindow: W traced; deliveries inside it at the 10 kHz
// tick, every async call completed once, none stray, no deadlock.
func TestUintrLockWindow(t *testing.T) {
	res := uintrLockWindow(t, 4000, lockTraceBudget)
	if got := float64(len(res.window)-len(res.missing)) / float64(len(res.window)); got < lockMinHit {
		t.Errorf("deliveries hit %.0f%% of the lock window's pcs, want at least %.0f%%", 100*got, 100*lockMinHit)
	}
}

// BenchmarkUintrLockWindow is the long run: 150,000 async reads
// completed at ticks (about 1.4 million async calls, five minutes here);
// every pc of W must be hit. It reports W's size, the pcs hit and
// missed, and the deliveries inside the window.
//
//	go test ./kernel -run '^$' -bench UintrLockWindow -benchtime 1x
func BenchmarkUintrLockWindow(b *testing.B) {
	for range b.N {
		res := uintrLockWindow(b, 150000, 0)
		b.ReportMetric(float64(len(res.window)), "W-pcs")
		b.ReportMetric(float64(len(res.window)-len(res.missing)), "pcs-hit")
		b.ReportMetric(float64(len(res.missing)), "pcs-missed")
		b.ReportMetric(float64(res.inWindow), "deliveries-in-window")
		if len(res.missing) > 0 {
			var m strings.Builder
			for _, pc := range res.missing {
				fmt.Fprintf(&m, " %#x", pc)
			}
			b.Errorf("%d pcs of the lock window no delivery hit:%s", len(res.missing), m.String())
		}
	}
}

// lockResult is what one proof run measured.
type lockResult struct {
	window     map[uint64]bool // W
	windows    int             // lock windows traced
	hits       map[uint64]int  // deliveries per pc, lock held by the executor
	missing    []uint64        // pcs of W no delivery hit
	extra      int             // pcs hit with the lock held that the trace did not see
	deliveries int             // all deliveries of the run
	inWindow   int             // those to the executor's thread with the lock held
}

// lockTraceBudget bounds how long TestUintrLockWindow single-steps: on a
// busy host each step's round trips to QEMU's stub slow down many times
// (one loaded run took over 15 minutes for the 60 windows), so past it the
// test stops tracing once it has lockWindowsMin windows. The coverage it
// asserts is a share of the W it traced, so a smaller W cannot make it
// pass where a full one would fail on the common paths; the benchmark
// always traces every window.
const (
	lockTraceBudget = 2 * time.Minute
	lockWindowsMin  = 10
)

// uintrLockWindow traces W (stopping after budget once it has
// lockWindowsMin windows; 0: every window), then runs reads async reads
// at the 10 kHz tick.
func uintrLockWindow(t testing.TB, reads int, budget time.Duration) lockResult {
	t.Helper()
	kernel := kernelImage(t)
	// halted until the client has connected (a busy machine answers the handshake late)
	m, port := bootIcountStub(t, fmt.Sprintf("tick=%d run -t 1200s uintrlock -n %d", lockTick, reads))
	var c *client.Client
	var err error
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if c, err = client.Dial("127.0.0.1:"+strconv.Itoa(port), client.Options{Timeout: time.Minute}); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Continue(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", expect(t, m, `uintrlock: running: [^\r\n]*`)[0])
	if err := c.Interrupt(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Wait(time.Minute); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tr := &lockTracer{t: t, c: c, lockVA: proc.LocalVA + uint64(unsafe.Offsetof(sched.Local{}.Lock)), tag: uint64(sched.LockTag(0, true))}
	res := lockResult{window: map[uint64]bool{}}
	steps := 0
	for res.windows < lockWindowsTraced {
		if budget > 0 && res.windows >= lockWindowsMin && time.Since(start) > budget {
			t.Logf("stopped tracing after %d lock windows: %v spent stepping (a busy host)", res.windows, time.Since(start).Round(time.Second))
			break
		}
		pcs := tr.window()
		if pcs == nil {
			continue
		}
		res.windows++
		steps += len(pcs)
		for _, pc := range pcs {
			res.window[pc] = true
		}
	}
	if err := c.Detach(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	t.Logf("traced %d lock windows (%d instructions stepped with the lock held) in %v: W = %d pcs", res.windows, steps, time.Since(start).Round(time.Millisecond), len(res.window))

	// The result comes when the run ends: 150,000 reads take about five
	// minutes of an idle host; a busy one may take up to the boot's limit.
	g := expectWithin(t, m, `uintrlock: (ok|FAIL): (\d+) async calls submitted, (\d+) completed, (\d+) drained, (\d+) stray; [^\r\n]*?(\d+) deliveries: (\d+) to the executor's thread inside its lock window[^\r\n]*`, bootLimit)
	t.Logf("%s", g[0])
	res.deliveries, res.inWindow = atoi(t, g[6]), atoi(t, g[7])
	out := expect(t, m, `run uintrlock: exited with status \d+`)
	if g[1] != "ok" || g[2] != g[3] || g[3] != g[4] || g[5] != "0" || !strings.HasSuffix(out[0], " 0") {
		t.Fatalf("want every async call completed and drained once, none stray, status 0:\n%s", m.Output())
	}
	res.hits = lockHistogram(t, m.Output())
	for pc := range res.window {
		if res.hits[pc] == 0 {
			res.missing = append(res.missing, pc)
		}
	}
	sort.Slice(res.missing, func(i, j int) bool { return res.missing[i] < res.missing[j] })
	for pc := range res.hits {
		if !res.window[pc] {
			res.extra++
		}
	}
	t.Logf("W: %d pcs, %d hit, %d missed; %d pcs where a delivery found the lock held are outside W",
		len(res.window), len(res.window)-len(res.missing), len(res.missing), res.extra)
	syms := newProgSyms(t, filepath.Join(filepath.Dir(kernel), "_"+filepath.Base(kernel)+".build", "progs", "uintrlock"))
	t.Logf("W by function (pcs in W, pcs hit, deliveries):\n%s", syms.table(res.window, res.hits))
	if res.extra > 0 {
		var b strings.Builder
		for pc := range res.hits {
			if !res.window[pc] {
				fmt.Fprintf(&b, " %#x (%s)", pc, syms.name(pc))
			}
		}
		t.Logf("pcs where a delivery found the lock held on a path the traced windows did not take:%s", b.String())
	}
	wantExit(t, m, 0)
	return res
}

// progSyms names the program's pcs by its ELF symbols (the vDSO's by
// offset from the lowest vDSO pc seen).
type progSyms struct {
	syms []elf.Symbol
}

func newProgSyms(t testing.TB, path string) *progSyms {
	f, err := elf.Open(path)
	if err != nil {
		t.Logf("no symbols: %v", err)
		return &progSyms{}
	}
	defer f.Close()
	syms, _ := f.Symbols()
	var fn []elf.Symbol
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Size > 0 {
			fn = append(fn, s)
		}
	}
	sort.Slice(fn, func(i, j int) bool { return fn[i].Value < fn[j].Value })
	return &progSyms{syms: fn}
}

func (p *progSyms) name(pc uint64) string {
	i := sort.Search(len(p.syms), func(i int) bool { return p.syms[i].Value > pc }) - 1
	if i >= 0 && pc < p.syms[i].Value+p.syms[i].Size {
		return p.syms[i].Name
	}
	if pc >= 1<<37 {
		return "(vDSO)"
	}
	return "?"
}

// table lists W's pcs by function: how many, how many hit, deliveries.
func (p *progSyms) table(window map[uint64]bool, hits map[uint64]int) string {
	type row struct {
		name           string
		pcs, hit, dels int
		first          uint64
	}
	rows := map[string]*row{}
	for pc := range window {
		n := p.name(pc)
		r := rows[n]
		if r == nil {
			r = &row{name: n, first: pc}
			rows[n] = r
		}
		r.pcs++
		r.first = min(r.first, pc)
		if hits[pc] > 0 {
			r.hit++
			r.dels += hits[pc]
		}
	}
	var list []*row
	for _, r := range rows {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].first < list[j].first })
	var b strings.Builder
	for _, r := range list {
		fmt.Fprintf(&b, "\t%-60s %4d %4d %6d\n", r.name, r.pcs, r.hit, r.dels)
	}
	return b.String()
}

// lockHistogram parses the program's "window pcs" lines.
func lockHistogram(t testing.TB, out string) map[uint64]int {
	t.Helper()
	hits := map[uint64]int{}
	re := regexp.MustCompile(`0x([0-9a-f]+):(\d+)`)
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "uintrlock: window pcs:") {
			continue
		}
		for _, m := range re.FindAllStringSubmatch(line, -1) {
			pc, _ := strconv.ParseUint(m[1], 16, 64)
			hits[pc] += atoi(t, m[2])
		}
	}
	return hits
}

// lockTracer steps through the program's lock windows with QEMU's gdb
// stub.
type lockTracer struct {
	t      testing.TB
	c      *client.Client
	lockVA uint64
	tag    uint64
}

func (tr *lockTracer) reg(name string) uint64 {
	v, err := tr.c.Reg(name)
	if err != nil {
		tr.t.Fatal(err)
	}
	return v
}

// lock reads the lock word in the current address space.
func (tr *lockTracer) lock() uint64 {
	b, err := tr.c.ReadMemory(tr.lockVA, 4)
	if err != nil {
		tr.t.Fatal(err)
	}
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
}

// window runs to the next access of the lock word (QEMU stops before
// the accessing instruction; write watchpoints do not see the AMO); if
// that instruction takes the lock with the executor's tag, it steps to
// the release and returns the pcs at which the lock was held (nil
// otherwise).
func (tr *lockTracer) window() []uint64 {
	c := tr.c
	if err := c.SetBreakpoint(client.AccessWatchpoint, tr.lockVA, 4); err != nil {
		tr.t.Fatal(err)
	}
	tr.cont()
	if err := c.ClearBreakpoint(client.AccessWatchpoint, tr.lockVA, 4); err != nil {
		tr.t.Fatal(err)
	}
	if tr.reg("priv") != 0 || tr.lock() == tr.tag {
		return nil // (the kernel's; or inside a window: wait for the next)
	}
	tr.step()
	if tr.lock() != tr.tag {
		return nil
	}
	pcs := []uint64{tr.reg("pc")}
	for {
		tr.step()
		if tr.lock() != tr.tag {
			return pcs
		}
		pcs = append(pcs, tr.reg("pc"))
		if len(pcs) > 100000 {
			tr.t.Fatalf("a lock window of more than 100,000 instructions from %#x", pcs[0])
		}
	}
}

// step executes one user instruction; a trap (the system call inside a
// window, or a fault) runs the kernel until this thread is back in user
// mode after the instruction or at it.
func (tr *lockTracer) step() {
	pc, sp := tr.reg("pc"), tr.reg("sp")
	if _, err := tr.c.Step(); err != nil {
		tr.t.Fatal(err)
	}
	if tr.reg("priv") != 0 {
		tr.until(sp, pc+4, pc)
	}
}

// until runs the machine until user code of the thread whose stack
// pointer is sp is at one of pcs.
func (tr *lockTracer) until(sp uint64, pcs ...uint64) {
	c := tr.c
	for _, pc := range pcs {
		if err := c.SetBreakpoint(client.HardwareBreakpoint, pc, 2); err != nil {
			tr.t.Fatal(err)
		}
	}
	for {
		tr.cont()
		if tr.reg("priv") == 0 && tr.reg("sp") == sp {
			break
		}
	}
	for _, pc := range pcs {
		if err := c.ClearBreakpoint(client.HardwareBreakpoint, pc, 2); err != nil {
			tr.t.Fatal(err)
		}
	}
}

func (tr *lockTracer) cont() {
	if err := tr.c.Continue(); err != nil {
		tr.t.Fatal(err)
	}
	if _, err := tr.c.Wait(5 * time.Minute); err != nil {
		tr.t.Fatal(err)
	}
}
