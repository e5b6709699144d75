package kernel_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
	"copslab/kernel/build"
)

const qemuBinary = "qemu-system-riscv64"

var (
	buildOnce sync.Once
	kernelELF string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, elf := range []string{kernelELF, compatELF} {
		if elf != "" {
			os.RemoveAll(filepath.Dir(elf))
		}
	}
	os.Exit(code)
}

// kernelImage builds the kernel once per test binary into a temp dir.
func kernelImage(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath(qemuBinary); err != nil {
		t.Skipf("%s not installed (scripts/prereqs.sh installs it): %v", qemuBinary, err)
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "copslab-kernel-test")
		if err != nil {
			buildErr = err
			return
		}
		kernelELF = filepath.Join(dir, "kernel.elf")
		goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goCmd); err != nil {
			goCmd = "go"
		}
		buildErr = build.Build(build.Options{Out: kernelELF, Go: goCmd, Progs: testProgs})
	})
	if buildErr != nil {
		t.Fatalf("building the kernel: %v", buildErr)
	}
	return kernelELF
}

// Waits on the guest are safety nets against a hung kernel, not speed
// checks: on a busy host QEMU (TCG) may run many times slower than on an
// idle one, so they are generous. Speed lives in benchmarks.
const (
	guestWait = 5 * time.Minute  // one expected console line or power-off
	bootLimit = 15 * time.Minute // a whole boot, after which QEMU is killed
)

// boot starts QEMU with args; the machine is killed when the test ends.
func boot(t testing.TB, args ...string) *qemu.Machine {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bootLimit)
	m, err := qemu.Start(ctx, qemuBinary, args)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		m.Kill()
		cancel()
	})
	return m
}

// bootProfile boots with the board profile's command line.
func bootProfile(t *testing.T, appendArgs string) *qemu.Machine {
	t.Helper()
	kernel := kernelImage(t)
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: appendArgs})...)
}

func expect(t testing.TB, m *qemu.Machine, pattern string) []string {
	t.Helper()
	return expectWithin(t, m, pattern, guestWait)
}

// expectWithin is expect for a line that may take longer than guestWait
// (a long run's result).
func expectWithin(t testing.TB, m *qemu.Machine, pattern string, wait time.Duration) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	s, err := m.Expect(re, wait)
	if err != nil {
		t.Fatal(err)
	}
	return re.FindStringSubmatch(s)
}

func wantExit(t testing.TB, m *qemu.Machine, want int) {
	t.Helper()
	select {
	case <-m.Done():
	case <-time.After(guestWait):
		t.Fatalf("QEMU still running %v after the kernel should have powered off:\n%s", guestWait, m.Output())
	}
	code, err := m.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Fatalf("QEMU exit status %d, want %d; console:\n%s", code, want, m.Output())
	}
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSelftest runs the plain command: no firmware, 512 MiB.
func TestSelftest(t *testing.T) {
	kernel := kernelImage(t)
	m := boot(t, "-machine", "virt", "-m", "512M", "-nographic", "-bios", "none",
		"-kernel", kernel, "-append", "selftest")
	expect(t, m, `copslab kernel \(go[^)]*bare metal, machine mode\): memory 512 MiB at 0x80000000 \(from FDT\)`)
	expect(t, m, `selftest: memory: ok: RAM 512 MiB`)
	expect(t, m, `selftest: wallclock: ok: 20\d\d-\d\d-\d\dT[0-9:]+Z from the RTC at 0x101000`)
	g := expect(t, m, `selftest: goroutines: ok: (\d+) goroutines summed 1\.\.(\d+) = (\d+) over channels`)
	if n := atoi(t, g[2]); atoi(t, g[3]) != n*(n+1)/2 {
		t.Errorf("goroutine sum line is inconsistent: %q", g[0])
	}
	gc := expect(t, m, `selftest: gc: ok: NumGC \+(\d+) after allocating (\d+) MiB, live objects verified`)
	if atoi(t, gc[1]) == 0 {
		t.Errorf("no GC cycles: %q", gc[0])
	}
	expect(t, m, `selftest: scavenge: ok: 8192 new 1 KiB objects in scavenged memory all zero`)
	expect(t, m, `selftest: sleep: ok: 7 x Sleep\(20ms\): overshoot median \+[0-9.]+[µm]?s, max \+[0-9.]+[µm]?s by mtime`)
	tm := expect(t, m, `selftest: timer: ok: (\d+) timer interrupts during 100ms of computing`)
	if atoi(t, tm[1]) == 0 {
		t.Errorf("no timer interrupts during compute: %q", tm[0])
	}
	expect(t, m, `selftest: preempt: ok: spinning goroutine preempted`)
	expect(t, m, `selftest: async-preempt: ok: call-free loop preempted after`)
	fp := expect(t, m, `selftest: fp-under-preemption: ok: 3 workers agree \(f=[0-9.e+]+, x=0x[0-9a-f]+\) after (\d+) async preemptions`)
	if atoi(t, fp[1]) == 0 {
		t.Errorf("no async preemption during the FP run: %q", fp[0])
	}
	expect(t, m, `selftest: kalloc: ok: 256 frames allocated, written, verified, freed`)
	expect(t, m, `selftest: sv39: ok: mapped 8 pages at 0x10000000 in \d+ table frames, translated, unmapped, destroyed`)
	expect(t, m, `selftest: PASS \(12 checks\)`)
	wantExit(t, m, 0)
}

// TestMemorySizeFromFDT boots with another RAM size: the banner must
// follow it, so the size is read, not assumed.
func TestMemorySizeFromFDT(t *testing.T) {
	kernel := kernelImage(t)
	m := boot(t, "-machine", "virt", "-m", "256M", "-nographic", "-bios", "none",
		"-kernel", kernel, "-append", "selftest")
	expect(t, m, `memory 256 MiB at 0x80000000 \(from FDT\)`)
	expect(t, m, `selftest: PASS`)
	wantExit(t, m, 0)
}

// TestSelftestFailure: a failing check must make QEMU exit non-zero.
func TestSelftestFailure(t *testing.T) {
	m := bootProfile(t, "selftest fail")
	expect(t, m, `selftest: injected-failure: FAIL`)
	expect(t, m, `selftest: FAIL \(1 of \d+ checks failed\)`)
	wantExit(t, m, 1)
}

// TestSecondaryHartsParked boots four harts: only hart 0 runs the kernel,
// the others must stay parked without disturbing it.
func TestSecondaryHartsParked(t *testing.T) {
	kernel := kernelImage(t)
	m := boot(t, "-machine", "virt", "-smp", "4", "-m", "512M", "-nographic", "-bios", "none",
		"-kernel", kernel, "-append", "selftest")
	expect(t, m, `hart 0 of 4`)
	expect(t, m, `selftest: PASS`)
	wantExit(t, m, 0)
}

// TestEcho types into QEMU's stdin: the UART interrupt path must deliver
// the bytes to the console goroutine, which echoes them.
func TestEcho(t *testing.T) {
	m := bootProfile(t, "echo")
	expect(t, m, `copslab: console ready`)
	m.Write([]byte("hello copslab\r"))
	expect(t, m, `copslab> hello copslab`)
	m.Write([]byte("echo round trip 42\r"))
	expect(t, m, `\nround trip 42`)
	m.Write([]byte("stats\r"))
	st := expect(t, m, `stats: ticks \d+, timer irqs \d+, external irqs (\d+), uart rx bytes (\d+),`)
	if atoi(t, st[1]) == 0 || atoi(t, st[2]) < len("hello copslab\recho round trip 42\r") {
		t.Errorf("input did not arrive by interrupt: %q\n%s", st[0], m.Output())
	}
	m.Write([]byte("halt 5\r"))
	expect(t, m, `halting with status 5`)
	wantExit(t, m, 5)
}

// TestPanicReport faults on purpose: the trap report names the cause,
// pc and registers, then the Go panic shows the goroutine's stack.
func TestPanicReport(t *testing.T) {
	m := bootProfile(t, "panic")
	expect(t, m, `copslab: fault: mcause=0x0*5 \(load access fault\) mepc=0x[0-9a-f]{16} mtval=0x[0-9a-f]{16}`)
	expect(t, m, `ra=0x[0-9a-f]{16}  sp=0x[0-9a-f]{16}`)
	expect(t, m, `s11\(g\)=0x[0-9a-f]{16}`)
	expect(t, m, `panic: runtime error: invalid memory address or nil pointer dereference`)
	expect(t, m, `goroutine \d+ \[running\]:\s+main\.crash\.func1\(\)\s+\S+crash\.go:\d+`)
	wantExit(t, m, 2)
}

// TestUnknownMode: a bad boot argument is an error, not a hang.
func TestUnknownMode(t *testing.T) {
	m := bootProfile(t, "no-such-mode")
	expect(t, m, `unknown mode "no-such-mode"`)
	wantExit(t, m, 1)
}

// TestVetKernelMain type-checks and vets the kernel's main package for
// its real target (the host build skips it: it carries the copslab tag).
// It builds without a board (tag board_none): a board imports runtime/goos,
// which exists only in the build's overlay, where go vet cannot follow
// it; the kernel build itself type-checks every board (TestBoardImages).
func TestVetKernelMain(t *testing.T) {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goCmd); err != nil {
		goCmd = "go"
	}
	tags := build.Tag + ",board_none"
	cmd := exec.Command(goCmd, "vet", "-tags", tags, "./kmain")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet (linux/riscv64, -tags %s) ./kmain: %v\n%s", tags, err, out)
	}
}
