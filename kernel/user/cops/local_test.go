package cops

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"copslab/sched"
)

// withKernelLocal stands in for a kernel that maps a Local formatted for
// process slot proc and passes its address under AT_COPS_LOCAL.
func withKernelLocal(t *testing.T, proc uint16) *sched.Local {
	t.Helper()
	mem, err := syscall.Mmap(-1, 0, sched.LocalSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	l := (*sched.Local)(unsafe.Pointer(&mem[0]))
	l.Init(proc)
	addr := uintptr(unsafe.Pointer(l))
	old := kernelLocal
	kernelLocal = func() uintptr { return addr }
	t.Cleanup(func() {
		kernelLocal = old
		kernelLocalBusy.Store(false)
		syscall.Munmap(mem)
	})
	return l
}

// TestKernelLocal: with AT_COPS_LOCAL the executor works on the kernel's
// Local (ids carry the kernel's process slot, Source says so); a second
// executor is refused while the first has it, and allowed once the
// first's Run has ended with nothing left.
func TestKernelLocal(t *testing.T) {
	l := withKernelLocal(t, 9)
	ex, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Local mapped by the kernel at %#x", uintptr(unsafe.Pointer(l))); !strings.HasPrefix(ex.Source(), want) {
		t.Errorf("source %q, want it to start with %q", ex.Source(), want)
	}
	if ex.Local() != l {
		t.Fatal("the executor does not use the kernel's Local")
	}
	if _, err := New(); err == nil || !strings.Contains(err.Error(), "already has an executor") {
		t.Errorf("second executor on the kernel's Local: %v", err)
	}
	var ids []uint32
	ex.Spawn(4, func(c *Co) { ids = append(ids, c.ID()) })
	ex.SpawnStep(2, func(c *Co) Action { ids = append(ids, c.ID()); return Done })
	if err := ex.Run(); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if sched.ProcOf(id) != 9 {
			t.Errorf("coroutine id %#x names process %d, want the kernel's slot 9", id, sched.ProcOf(id))
		}
	}
	if len(ids) != 2 || l.Live != 0 || l.Seq == 0 {
		t.Errorf("ran %d coroutines; Local live %d, %d events", len(ids), l.Live, l.Seq)
	}
	ex2, err := New()
	if err != nil {
		t.Fatalf("after Run ended: %v", err)
	}
	if ex2.Local() != l {
		t.Error("the next executor does not use the kernel's Local")
	}
}

// TestKernelLocalBadMagic: a Local the kernel did not format is refused
// with a message naming its address.
func TestKernelLocalBadMagic(t *testing.T) {
	l := withKernelLocal(t, 9)
	l.Magic = 0x12345678
	_, err := New()
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%#x", uintptr(unsafe.Pointer(l)))) || !strings.Contains(err.Error(), "magic 0x12345678") {
		t.Errorf("New on an unformatted Local: %v", err)
	}
}
