package proc

import (
	"encoding/binary"
	"math/rand"
	"testing"

	"copslab/kernel/kalloc"
	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
)

// callFuzzer throws random system calls at processes: random numbers
// (mostly from the served set), arguments drawn from values that matter
// (zero, small, negative, page-aligned user addresses, the stack, kernel
// RAM, non-canonical). After every call the address space must pass
// Check; a process that ends is released (its frames must all come back)
// and replaced.
type callFuzzer struct {
	t      testing.TB
	phys   *simPhys
	frames *kalloc.Allocator
	free0  int
	p      *Proc
	env    *buf
	calls  int
	procs  int           // processes ended and replaced
	errs   map[int64]int // results by errno (negative) or 0 for success
}

func newCallFuzzer(t testing.TB) *callFuzzer {
	a, err := kalloc.New(ramBase, 1024*PageSize)
	if err != nil {
		t.Fatal(err)
	}
	f := &callFuzzer{t: t, phys: &simPhys{ram: make([]byte, 1024*PageSize)}, frames: a, env: &buf{}, errs: map[int64]int{}}
	f.free0 = a.FreeCount()
	f.spawn()
	return f
}

func (f *callFuzzer) spawn() {
	prog, _ := uprog.Lookup("uhello")
	p, err := New(1, "fuzz", prog.ELF, []string{"a"}, f.phys, f.frames)
	if err != nil {
		f.t.Fatal(err)
	}
	p.Space.MaxPages = 300 // stay inside the simulated RAM
	f.p = p
}

var served = []uint64{uabi.SYS_WRITE, uabi.SYS_READ, uabi.SYS_MMAP, uabi.SYS_MUNMAP, uabi.SYS_MPROTECT,
	uabi.SYS_MADVISE, uabi.SYS_BRK, uabi.SYS_CLONE, uabi.SYS_EXIT, uabi.SYS_FUTEX, uabi.SYS_NANOSLEEP,
	uabi.SYS_CLOCK_GETTIME, uabi.SYS_GETRANDOM, uabi.SYS_RT_SIGACTION, uabi.SYS_RT_SIGPROCMASK,
	uabi.SYS_SIGALTSTACK, uabi.SYS_TGKILL, uabi.SYS_RT_SIGRETURN, uabi.SYS_EPOLL_CREATE1, uabi.SYS_EVENTFD2,
	uabi.SYS_EPOLL_CTL, uabi.SYS_EPOLL_PWAIT, uabi.SYS_CLOSE, uabi.SYS_FCNTL, uabi.SYS_SCHED_GETAFFINITY,
	uabi.SYS_GETTIMEOFDAY, uabi.SYS_CLOCK_NANOSLEEP, uabi.SYS_KILL, uabi.SYS_EXIT_GROUP}

func (f *callFuzzer) value(r *rand.Rand) uint64 {
	switch r.Intn(12) {
	case 0:
		return 0
	case 1:
		return uint64(r.Intn(8))
	case 2:
		return ^uint64(r.Intn(4))
	case 3:
		return StackTop - uint64(r.Intn(64))*8
	case 4:
		return StackTop - StackSize + uint64(r.Intn(1<<20))
	case 5:
		return uprog.Base + uint64(r.Intn(256))
	case 6:
		return ramBase + uint64(r.Intn(1<<20))
	case 7:
		return 1<<38 + uint64(r.Intn(1<<12))
	case 8:
		return MmapTop - uint64(r.Intn(64))*PageSize
	case 9:
		return uint64(r.Intn(1<<16)) * PageSize
	case 10:
		return TrampolineVA + uint64(r.Intn(16))
	}
	return r.Uint64()
}

func (f *callFuzzer) step(r *rand.Rand) {
	p := f.p
	nr := served[r.Intn(len(served))]
	if r.Intn(8) == 0 {
		nr = uint64(r.Intn(460))
	}
	if nr == uabi.SYS_EXIT_GROUP && r.Intn(20) != 0 {
		nr = uabi.SYS_GETPID // end processes now and then, not constantly
	}
	t, _ := p.Pick(f.env.now)
	if t == nil {
		f.env.now += 1e9 // let sleepers and timeouts expire
		if t, _ = p.Pick(f.env.now); t == nil {
			p.Kill("fuzz: all blocked")
		}
	}
	if t != nil {
		p.DeliverPending(t)
	}
	if t != nil && !p.Exited {
		t.TF.Cause = CauseEcallU
		t.TF.X[RegA7] = nr
		for i := 0; i < 6; i++ {
			t.TF.X[RegA0+i] = f.value(r)
		}
		p.Trap(t, f.env)
		f.calls++
		if r := int64(t.TF.X[RegA0]); r < 0 && r > -4096 {
			f.errs[r]++
		} else {
			f.errs[0]++
		}
	}
	lo, hi := f.frames.Base(), f.frames.Base()+uint64(f.frames.Total())*PageSize
	if p.Space != nil {
		if err := p.Space.Check(lo, hi); err != nil {
			f.t.Fatalf("after call %d (nr %d): %v", f.calls, nr, err)
		}
	}
	if p.Exited {
		if err := p.Release(); err != nil {
			f.t.Fatal(err)
		}
		if f.frames.FreeCount() != f.free0 {
			f.t.Fatalf("after call %d: %d frames free, want %d", f.calls, f.frames.FreeCount(), f.free0)
		}
		f.procs++
		f.spawn()
	}
}

// TestSyscallFuzz makes 100,000 random system calls.
func TestSyscallFuzz(t *testing.T) {
	f := newCallFuzzer(t)
	r := rand.New(rand.NewSource(11))
	for f.calls < 100000 {
		f.step(r)
	}
	f.p.Release()
	if f.frames.FreeCount() != f.free0 {
		t.Errorf("%d frames free at the end, want %d", f.frames.FreeCount(), f.free0)
	}
	t.Logf("%d calls, %d processes ended; results: %d ok, %d EFAULT, %d EINVAL, %d ENOSYS",
		f.calls, f.procs, f.errs[0], f.errs[-uabi.EFAULT], f.errs[-uabi.EINVAL], f.errs[-uabi.ENOSYS])
	if f.procs < 10 || f.errs[-uabi.EFAULT] < 1000 || f.errs[0] < 10000 {
		t.Errorf("the fuzzer exercised too little")
	}
}

// FuzzSyscalls lets the fuzzer choose the random seed and call count.
func FuzzSyscalls(fz *testing.F) {
	fz.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 100})
	fz.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 9 {
			return
		}
		f := newCallFuzzer(t)
		r := rand.New(rand.NewSource(int64(binary.LittleEndian.Uint64(data))))
		for i := 0; i < int(data[8])*4; i++ {
			f.step(r)
		}
	})
}
