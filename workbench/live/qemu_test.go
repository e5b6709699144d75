package live

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"copslab/boards"
	"copslab/sched"
	"copslab/workbench/internal/testkernel"
)

// These tests boot the real kernel in QEMU and read its trace over
// QEMU's gdb stub.

func TestMain(m *testing.M) {
	code := m.Run()
	testkernel.Cleanup()
	os.Exit(code)
}

func testKernel(t testing.TB) (string, *boards.Profile) {
	t.Helper()
	p := testkernel.Board(t)
	return testkernel.Build(t), p
}

func open(t *testing.T, kernel string, p *boards.Profile, appendArgs string) *Kernel {
	t.Helper()
	k, err := Open(Options{Kernel: kernel, Board: p, Append: appendArgs, Timeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// runToEnd streams until the kernel powers off.
func runToEnd(t *testing.T, k *Kernel) []sched.Event {
	t.Helper()
	var all []sched.Event
	deadline := time.Now().Add(3 * time.Minute)
	for {
		evs, err := k.RunFor(20 * time.Millisecond)
		all = append(all, evs...)
		if err != nil {
			t.Fatalf("after %d events: %v\nconsole:\n%s", len(all), err, k.Console())
		}
		if ended, _, _ := k.Ended(); ended {
			return all
		}
		if time.Now().After(deadline) {
			t.Fatalf("kernel still running after 3 min; %d events\n%s", len(all), k.Console())
		}
	}
}

func TestStreamTwoProcessesToPowerOff(t *testing.T) {
	kernel, p := testKernel(t)
	k := open(t, kernel, p, "runall pyield pyield")
	evs := runToEnd(t, k)
	_, status, err := k.Ended()
	if status != 0 || err != nil {
		t.Fatalf("power-off status %d, %v\n%s", status, err, k.Console())
	}
	// Every event arrives once, in order; the reader kept up (no loss).
	for i, e := range evs {
		if e.Seq != uint64(i) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
	}
	if k.Ring.Lost != 0 {
		t.Errorf("%d events lost", k.Ring.Lost)
	}
	// Two processes each spawn, yield 1000 times, exit. Their pids are
	// whatever the kernel hands out: take them from the spawn events.
	spawn, exit, fetch := map[uint16]int{}, map[uint16]int{}, map[uint16]int{}
	for _, e := range evs {
		if e.Proc == 0 {
			continue // the kernel's own coroutines (console driver, scheduler)
		}
		switch e.Cause {
		case sched.CauseSpawn:
			spawn[e.Proc]++
		case sched.CauseExit:
			exit[e.Proc]++
		case sched.CauseFetch:
			fetch[e.Proc]++
		}
	}
	if len(spawn) != 2 {
		t.Errorf("spawns by process %v, want two processes", spawn)
	}
	for pid := range spawn {
		if spawn[pid] != 1 || exit[pid] != 1 || fetch[pid] < 500 {
			t.Errorf("pid %d: %d spawns, %d exits, %d placements", pid, spawn[pid], exit[pid], fetch[pid])
		}
	}
	last := evs[len(evs)-1]
	if last.Cause != sched.CauseExit || last.Time == 0 || last.Time > k.Now() {
		t.Errorf("last event %+v, clock %d", last, k.Now())
	}
	t.Logf("%d events, guest clock %v, %d reads, %d bytes", len(evs), time.Duration(k.Now()), k.Ring.Reads, k.Ring.Bytes)
}

func TestNextDecisionAndStepInstruction(t *testing.T) {
	kernel, p := testKernel(t)
	k := open(t, kernel, p, "runall pyield pyield")
	var seen []sched.Event
	for i := 0; i < 5; i++ {
		evs, err := k.NextDecision(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			t.Fatalf("decision %d: no event", i)
		}
		seen = append(seen, evs...)
	}
	// Each stop is right after one put: exactly one new event per step,
	// beginning with the first process's spawn.
	if len(seen) != 5 || seen[0].Cause != sched.CauseSpawn || seen[0].Proc != 1 || seen[4].Seq != 4 {
		t.Fatalf("events %+v", seen)
	}
	loc, err := k.StepInstruction()
	if err != nil {
		t.Fatal(err)
	}
	if loc.Func == "" || loc.File == "" || loc.Line == 0 {
		t.Errorf("location after stepi: %+v", loc)
	}
	regs, err := k.Registers()
	if err != nil {
		t.Fatal(err)
	}
	var pc uint64
	for _, r := range regs {
		if r.Name == "pc" {
			pc = r.Value
		}
	}
	if len(regs) < 32 || pc != loc.PC {
		t.Errorf("%d registers, pc %#x, stepped to %#x", len(regs), pc, loc.PC)
	}
	t.Logf("stepped to %v", loc)
}

func TestMismatchedELFNamesBothBuildIDs(t *testing.T) {
	kernel, p := testKernel(t)
	im, err := LoadImage(kernel)
	if err != nil {
		t.Fatal(err)
	}
	// A copy of the ELF whose build id differs: the workbench given this
	// file while QEMU runs the original must refuse.
	b, err := os.ReadFile(kernel)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.elf")
	off := findNote(t, b, im.NoteBytes)
	b[off+len(im.NoteBytes)-1] ^= 0xff
	if err := os.WriteFile(other, b, 0o644); err != nil {
		t.Fatal(err)
	}
	k := open(t, kernel, p, "runall pyield pyield")
	_, err = Open(Options{Kernel: other, Attach: k.attachAddr(t), Timeout: 30 * time.Second})
	var mm *MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("got %v, want a MismatchError", err)
	}
	wantELF := im.BuildIDString()[:len(im.BuildIDString())-2]
	if mm.RunningID != im.BuildIDString() || mm.ELFID[:len(wantELF)] != wantELF || mm.ELFID == mm.RunningID {
		t.Errorf("ids: ELF %s, running %s; want running %s", mm.ELFID, mm.RunningID, im.BuildIDString())
	}
	t.Log(err)
}

func findNote(t *testing.T, b, note []byte) int {
	for i := 0; i+len(note) <= len(b); i++ {
		if string(b[i:i+len(note)]) == string(note) {
			return i
		}
	}
	t.Fatal("build id note not found in the file")
	return 0
}

// attachAddr closes k's connection (QEMU keeps running with its stub
// listening again) and returns where it listens.
func (k *Kernel) attachAddr(t *testing.T) string {
	t.Helper()
	k.c.Close()
	k.c = nil
	return k.addr
}

func TestQEMUKilledMidSession(t *testing.T) {
	kernel, p := testKernel(t)
	k := open(t, kernel, p, "runall pyield pyield")
	var got int
	for got == 0 {
		evs, err := k.RunFor(5 * time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		got += len(evs)
	}
	k.m.Kill()
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = k.RunFor(5 * time.Millisecond)
	}
	var died *DiedError
	if !errors.As(err, &died) {
		t.Fatalf("after QEMU was killed: %v, want a DiedError", err)
	}
	if ended, _, why := k.Ended(); !ended || why == nil {
		t.Errorf("Ended() = %v, %v", ended, why)
	}
	if evs, err := k.RunFor(time.Millisecond); len(evs) != 0 || err != nil {
		t.Errorf("after the end: %d events, %v", len(evs), err)
	}
	t.Log(err)
}
