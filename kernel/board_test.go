package kernel_test

import (
	"debug/elf"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"copslab/boards"
	"copslab/kernel/build"
)

var (
	sifiveOnce sync.Once
	sifiveELF  string
	sifiveErr  error
)

// sifiveImage builds the kernel for QEMU sifive_u once per test binary,
// with the one user program the gdb stub test debugs.
func sifiveImage(t testing.TB) (string, *boards.Profile) {
	t.Helper()
	kernelImage(t) // skips without QEMU; its temp dir is removed by TestMain
	p, err := boards.Load("../boards/qemu-sifive_u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sifiveOnce.Do(func() {
		sifiveELF = filepath.Join(filepath.Dir(kernelELF), "kernel-sifive_u.elf")
		sifiveErr = build.Build(build.Options{Out: sifiveELF, Board: p.Board, Progs: []string{"user/hello"},
			Go: filepath.Join(runtime.GOROOT(), "bin", "go")})
	})
	if sifiveErr != nil {
		t.Fatalf("building the sifive_u kernel: %v", sifiveErr)
	}
	return sifiveELF, p
}

// TestSifiveUSelftest boots the sifive_u image on QEMU's sifive_u machine
// from its board profile: the kernel runs on hart 1 (a U54; hart 0, the
// E51, has no FPU), reads the FU540's device tree, prints through TamaGo's
// SiFive UART driver, keeps time with TamaGo's CLINT driver, passes every
// self-check and powers off through semihosting with status 0.
func TestSifiveUSelftest(t *testing.T) {
	kernel, p := sifiveImage(t)
	m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "selftest"})...)
	expect(t, m, `copslab kernel \(go[^)]*\): memory 512 MiB at 0x80000000 \(from FDT\), hart 1 of 2`)
	expect(t, m, `selftest: wallclock: ok: no RTC in the device tree`)
	expect(t, m, `selftest: sleep: ok: 7 x Sleep\(20ms\)`)
	tm := expect(t, m, `selftest: timer: ok: (\d+) timer interrupts during 100ms of computing`)
	if atoi(t, tm[1]) == 0 {
		t.Errorf("no timer interrupts during compute: %q", tm[0])
	}
	fp := expect(t, m, `selftest: fp-under-preemption: ok: 3 workers agree \(f=[0-9.e+]+, x=0x[0-9a-f]+\) after (\d+) async preemptions`)
	if atoi(t, fp[1]) == 0 {
		t.Errorf("no async preemption during the FP run: %q", fp[0])
	}
	expect(t, m, `selftest: sv39: ok: mapped 8 pages`)
	expect(t, m, `selftest: PASS \(12 checks\)`)
	wantExit(t, m, 0)
}

// TestSifiveUFailureStatus: a failing check reaches QEMU's exit status
// through the semihosting exit too.
func TestSifiveUFailureStatus(t *testing.T) {
	kernel, p := sifiveImage(t)
	m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "selftest fail"})...)
	expect(t, m, `selftest: FAIL \(1 of \d+ checks failed\)`)
	wantExit(t, m, 1)
}

// TestSifiveUConsoleInput types into the sifive_u console: the SiFive
// UART's receive interrupt must arrive through the PLIC's context for
// hart 1 in machine mode (found in the device tree).
func TestSifiveUConsoleInput(t *testing.T) {
	kernel, p := sifiveImage(t)
	m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "echo"})...)
	expect(t, m, `copslab: console ready`)
	m.Write([]byte("echo sifive round trip\r"))
	expect(t, m, `\nsifive round trip`)
	m.Write([]byte("stats\r"))
	st := expect(t, m, `stats: ticks \d+, timer irqs \d+, external irqs (\d+), uart rx bytes (\d+),`)
	if atoi(t, st[1]) == 0 || atoi(t, st[2]) < len("echo sifive round trip\r") {
		t.Errorf("input did not arrive by interrupt: %q\n%s", st[0], m.Output())
	}
	m.Write([]byte("halt 5\r"))
	wantExit(t, m, 5)
}

// TestRocketImage builds the kernel for the FPGA profile (Rocket with the
// N extension on the AXU15EG) and checks the image against the profile's
// memory map: every loadable segment inside the board's RAM, the boot
// stub at the address the boot ROM jumps to, the entry inside the image,
// and TamaGo's SiFive UART and CLINT drivers linked in. It does not run:
// no QEMU machine models this board (boards/README.md).
func TestRocketImage(t *testing.T) {
	p, err := boards.Load("../boards/rocket-axu15eg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "kernel-rocket.elf")
	if err := build.Build(build.Options{Out: out, Board: p.Board,
		Go: filepath.Join(runtime.GOROOT(), "bin", "go")}); err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ram := p.Hardware.Memory
	lowest, end := ^uint64(0), uint64(0)
	for _, s := range f.Progs {
		if s.Type != elf.PT_LOAD {
			continue
		}
		if s.Paddr < ram.Base || s.Paddr+s.Memsz > ram.Base+ram.Size {
			t.Errorf("segment [%#x, %#x) outside RAM [%#x, %#x)", s.Paddr, s.Paddr+s.Memsz, ram.Base, ram.Base+ram.Size)
		}
		lowest, end = min(lowest, s.Paddr), max(end, s.Paddr+s.Memsz)
	}
	if lowest != ram.Base {
		t.Errorf("lowest segment at %#x; the boot ROM jumps to %#x", lowest, ram.Base)
	}
	if f.Entry < ram.Base || f.Entry >= end {
		t.Errorf("entry %#x outside the image [%#x, %#x)", f.Entry, ram.Base, end)
	}
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	// The board's hooks carry their runtime/goos names (//go:linkname).
	want := map[string]bool{
		"github.com/usbarmory/tamago/soc/sifive/uart.(*UART).Tx": false,
		"runtime/goos.Hwinit1":  false,
		"runtime/goos.Printk":   false,
		"runtime/goos.Nanotime": false,
	}
	for _, s := range syms {
		if _, ok := want[s.Name]; ok && elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			want[s.Name] = true
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("%s not linked into the image", name)
		}
	}
	t.Logf("image [%#x, %#x) (%d KiB) in RAM [%#x, %#x), entry %#x", ram.Base, end, (end-ram.Base)>>10, ram.Base, ram.Base+ram.Size, f.Entry)
}
