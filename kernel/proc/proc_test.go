package proc

import (
	"encoding/binary"
	"errors"
	"math/rand"
	"strings"
	"testing"

	"copslab/kernel/kalloc"
	"copslab/kernel/uabi"
	"copslab/kernel/uprog"
	"copslab/kernel/vm"
)

// simPhys is simulated RAM at 0x80000000.
type simPhys struct{ ram []byte }

const ramBase = 0x80000000

func (m *simPhys) Bytes(pa, n uint64) []byte { return m.ram[pa-ramBase : pa-ramBase+n] }
func (m *simPhys) Load(pa uint64) uint64     { return binary.LittleEndian.Uint64(m.Bytes(pa, 8)) }
func (m *simPhys) Store(pa, v uint64)        { binary.LittleEndian.PutUint64(m.Bytes(pa, 8), v) }

func setup(t testing.TB, pages int) (*simPhys, *kalloc.Allocator) {
	t.Helper()
	a, err := kalloc.New(ramBase, uint64(pages)*PageSize)
	if err != nil {
		t.Fatal(err)
	}
	return &simPhys{ram: make([]byte, pages*PageSize)}, a
}

// buf is a test Env: console output collected, a settable clock.
type buf struct {
	strings.Builder
	now   int64
	input []byte
	eof   bool
}

func (b *buf) Write(p []byte) (int, error) { return b.Builder.Write(p) }
func (b *buf) Now() int64                  { return b.now }
func (b *buf) Wall() int64                 { return 1_700_000_000e9 + b.now }
func (b *buf) ReadConsole(p []byte) (int, bool) {
	n := copy(p, b.input)
	b.input = b.input[n:]
	return n, n == 0 && b.eof
}
func (b *buf) Random(p []byte) {
	for i := range p {
		p[i] = byte(i*7 + 1)
	}
}

func newProc(t *testing.T, name string, args ...string) (*Proc, *kalloc.Allocator, int) {
	t.Helper()
	phys, a := setup(t, 512)
	free0 := a.FreeCount()
	prog, ok := uprog.Lookup(name)
	if !ok {
		t.Fatalf("no program %s", name)
	}
	p, err := New(1, name, prog.ELF, args, phys, a)
	if err != nil {
		t.Fatal(err)
	}
	return p, a, free0
}

// TestNewProcLayout checks entry, stack contents (argc, argv, auxv) and
// that Release gives every frame back.
func TestNewProcLayout(t *testing.T) {
	p, a, free0 := newProc(t, "uhello", "one", "two")
	tf := &p.Threads[0].TF
	if tf.PC != uprog.Entry || tf.SATP>>60 != 8 {
		t.Fatalf("pc %#x satp %#x", tf.PC, tf.SATP)
	}
	sp := tf.X[RegSP]
	if sp%16 != 0 || sp >= StackTop || sp < StackTop-StackInit {
		t.Fatalf("sp %#x", sp)
	}
	word := func(i int) uint64 {
		var b [8]byte
		if err := p.Space.CopyIn(b[:], sp+8*uint64(i)); err != nil {
			t.Fatal(err)
		}
		return binary.LittleEndian.Uint64(b[:])
	}
	if word(0) != 3 {
		t.Fatalf("argc = %d", word(0))
	}
	for i, want := range []string{"/bin/uhello", "one", "two"} {
		s, err := p.Space.CopyInString(word(1+i), 100)
		if err != nil || s != want {
			t.Errorf("argv[%d] = %q %v", i, s, err)
		}
	}
	if word(4) != 0 {
		t.Error("argv not NULL-terminated")
	}
	envc := 0
	for ; word(5+envc) != 0; envc++ {
		s, err := p.Space.CopyInString(word(5+envc), 100)
		if err != nil || s != StartEnv[envc] {
			t.Errorf("envp[%d] = %q %v, want %q", envc, s, err, StartEnv[envc])
		}
	}
	if envc != len(StartEnv) {
		t.Errorf("%d environment strings, want %d (PATH, HOME, TERM...)", envc, len(StartEnv))
	}
	aux := map[uint64]uint64{}
	for i := 6 + envc; ; i += 2 {
		if word(i) == uabi.AT_NULL {
			break
		}
		aux[word(i)] = word(i + 1)
	}
	if aux[uabi.AT_PAGESZ] != PageSize || aux[uabi.AT_RANDOM] == 0 || aux[uabi.AT_PHDR] != uprog.Base+64 || aux[uabi.AT_PHNUM] != 1 {
		t.Errorf("auxv %v", aux)
	}
	if err := p.Release(); err != nil {
		t.Fatal(err)
	}
	if a.FreeCount() != free0 {
		t.Errorf("%d frames free after Release, want %d", a.FreeCount(), free0)
	}
}

// TestCopyChecks: unmapped, read-only and kernel addresses give ErrFault.
func TestCopyChecks(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	s := p.Space
	b := make([]byte, 8)
	for _, va := range []uint64{0, 0x1000, uprog.Base + PageSize, ramBase, UserTop, 1 << 63, StackTop} {
		if err := s.CopyIn(b, va); !errors.Is(err, ErrFault) {
			t.Errorf("CopyIn(%#x) = %v, want ErrFault", va, err)
		}
	}
	if err := s.CopyOut(uprog.Base, b); !errors.Is(err, ErrFault) {
		t.Errorf("CopyOut to the read-only text = %v", err)
	}
	// A copy that runs off the end of the stack fails as a whole.
	if err := s.CopyIn(make([]byte, 16), StackTop-8); !errors.Is(err, ErrFault) {
		t.Errorf("CopyIn across the stack top = %v", err)
	}
	if err := s.CopyIn(b, uprog.Base); err != nil || string(b[:4]) != "\x7fELF" {
		t.Errorf("CopyIn of the text = %q %v", b, err)
	}
}

// TestDemandPaging: a reserved stack page appears on first touch, by a
// fault or by a kernel copy; PROT_NONE regions and writes to read-only
// regions stay faults.
func TestDemandPaging(t *testing.T) {
	p, a, free0 := newProc(t, "uhello")
	s := p.Space
	pages := s.Pages()
	low := uint64(StackTop - StackInit - PageSize)
	if err := s.Fault(low+8, Write); err != nil {
		t.Fatal(err)
	}
	if s.Pages() != pages+1 {
		t.Errorf("pages %d, want %d", s.Pages(), pages+1)
	}
	if err := s.CopyOut(StackTop-StackSize+100, []byte("x")); err != nil {
		t.Errorf("CopyOut into the reserved stack: %v", err)
	}
	if err := s.Fault(low+8, Write); err == nil {
		t.Error("second fault on a mapped page accepted")
	}
	if err := s.Reserve(0x40000000, 4*PageSize, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Fault(0x40000000, Read); err == nil {
		t.Error("fault in a PROT_NONE region accepted")
	}
	if err := s.Reserve(0x40001000, PageSize, vm.R); err == nil {
		t.Error("overlapping Reserve accepted")
	}
	if err := p.Release(); err != nil || a.FreeCount() != free0 {
		t.Errorf("Release: %v; %d free, want %d", err, a.FreeCount(), free0)
	}
}

// TestSyscalls drives write/getpid/exit through the trap frame.
func TestSyscalls(t *testing.T) {
	p, _, _ := newProc(t, "uhello")
	var out buf
	th := p.Threads[0]
	call := func(nr uint64, args ...uint64) uint64 {
		th.TF.Cause = CauseEcallU
		th.TF.X[RegA7] = nr
		copy(th.TF.X[RegA0:], args)
		pc := th.TF.PC
		p.Trap(th, &out)
		if th.TF.PC != pc+4 {
			t.Errorf("pc not advanced past the ecall")
		}
		return th.TF.X[RegA0]
	}
	msg := uint64(uprog.Base) // the ELF header: readable bytes
	if r := call(uabi.SYS_WRITE, 1, msg, 4); r != 4 || out.String() != "\x7fELF" {
		t.Errorf("write = %d, output %q", int64(r), out.String())
	}
	if r := call(uabi.SYS_WRITE, 1, 0x1000, 4); r != uabi.Errno(uabi.EFAULT) {
		t.Errorf("write from a bad pointer = %d, want -EFAULT", int64(r))
	}
	if r := call(uabi.SYS_WRITE, 7, msg, 4); r != uabi.Errno(uabi.EBADF) {
		t.Errorf("write to fd 7 = %d", int64(r))
	}
	if r := call(uabi.SYS_GETPID); r != 1 {
		t.Errorf("getpid = %d", r)
	}
	if r := call(4242); r != uabi.Errno(uabi.ENOSYS) || p.Unknown[4242] != 1 {
		t.Errorf("unknown call = %d, counted %d", int64(r), p.Unknown[4242])
	}
	th.TF.Cause, th.TF.X[RegA7], th.TF.X[RegA0] = CauseEcallU, uabi.SYS_EXIT_GROUP, 0x1234
	if p.Trap(th, &out); !p.Exited || p.Status != 0x34 {
		t.Errorf("exit_group: exited %v status %#x", p.Exited, p.Status)
	}
}

// TestFaultKills: a fault outside any region ends the process with the
// signal's status.
func TestFaultKills(t *testing.T) {
	p, _, _ := newProc(t, "segv")
	p.Threads[0].TF.Cause, p.Threads[0].TF.Tval = CauseLoadPage, 0
	if p.Trap(p.Threads[0], nil); !p.Exited || p.Status != 128+uabi.SIGSEGV || p.Killed != "load page fault" {
		t.Errorf("status %d killed %q", p.Status, p.Killed)
	}
	p, _, _ = newProc(t, "illegal")
	p.Threads[0].TF.Cause = CauseIllegal
	if p.Trap(p.Threads[0], nil); !p.Exited || p.Status != 128+uabi.SIGILL {
		t.Errorf("status %d", p.Status)
	}
}

// TestLoadELFRejects: malformed images give errors, never panics, and
// leave no frames behind.
func TestLoadELFRejects(t *testing.T) {
	phys, a := setup(t, 256)
	free0 := a.FreeCount()
	good, _ := uprog.Lookup("uhello")
	r := rand.New(rand.NewSource(1))
	bad := [][]byte{nil, []byte("hello"), good.ELF[:40], good.ELF[:70]}
	for i := 0; i < 300; i++ {
		b := append([]byte(nil), good.ELF...)
		for j := 0; j < 1+r.Intn(4); j++ {
			b[r.Intn(120)] = byte(r.Intn(256))
		}
		bad = append(bad, b)
	}
	for _, img := range bad {
		p, err := New(1, "x", img, nil, phys, a)
		if err == nil {
			p.Release()
		}
		if a.FreeCount() != free0 {
			t.Fatalf("frames leaked after loading a damaged image (err %v)", err)
		}
	}
	e := append([]byte(nil), good.ELF...)
	e[18] = 62 // EM_X86_64
	if _, err := New(1, "x", e, nil, phys, a); err == nil || !strings.Contains(err.Error(), "RISC-V") {
		t.Errorf("x86 image: %v", err)
	}
}

func lookup(name string) ([]byte, bool) {
	p, ok := uprog.Lookup(name)
	return p.ELF, ok
}
