package qemu

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const qemuBin = "qemu-system-riscv64"

func needQEMU(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(qemuBin); err != nil {
		t.Skipf("%s not installed (scripts/prereqs.sh installs qemu-system-misc): %v", qemuBin, err)
	}
}

// halted starts a virt machine that never runs a guest instruction (-S),
// with the serial console and QEMU monitor multiplexed on stdio.
func halted(t *testing.T, ctx context.Context) *Machine {
	t.Helper()
	m, err := Start(ctx, qemuBin, []string{"-machine", "virt", "-m", "64M", "-nographic", "-bios", "none", "-S"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Kill)
	return m
}

func TestVersionExpectAndExit(t *testing.T) {
	needQEMU(t)
	m, err := Start(context.Background(), qemuBin, []string{"-version"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Expect(regexp.MustCompile(`QEMU emulator version (\d+)\.`), 10*time.Second)
	if err != nil || !strings.HasPrefix(got, "QEMU emulator version") {
		t.Fatalf("Expect = %q, %v", got, err)
	}
	// The cursor moved past the match: the same text is not found again,
	// and the exit is reported without waiting for the whole timeout.
	start := time.Now()
	_, err = m.Expect(regexp.MustCompile(`QEMU emulator version`), time.Minute)
	if err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("second Expect: %v", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("exit noticed only after %v", time.Since(start))
	}
	if code, err := m.Wait(); code != 0 || err != nil {
		t.Errorf("Wait = %d, %v", code, err)
	}
	if !strings.Contains(m.Output(), "Copyright") {
		t.Errorf("output lacks the copyright line: %q", m.Output())
	}
}

func TestExitCode(t *testing.T) {
	needQEMU(t)
	m, err := Start(context.Background(), qemuBin, []string{"-no-such-option"})
	if err != nil {
		t.Fatal(err)
	}
	if code, err := m.Wait(); code == 0 || err != nil {
		t.Errorf("Wait = %d, %v; want a non-zero code", code, err)
	}
	if !strings.Contains(m.Output(), "no-such-option") {
		t.Errorf("stderr not captured: %q", m.Output())
	}
	if _, err := m.Write([]byte("x")); err == nil {
		t.Error("Write to an exited process succeeded")
	}
}

// TestMonitorRoundTrip writes to the console: Ctrl-A c switches the stdio
// mux to the QEMU monitor, whose answer must come back through the buffer.
func TestMonitorRoundTrip(t *testing.T) {
	needQEMU(t)
	m := halted(t, context.Background())
	if _, err := m.Write([]byte("\x01c")); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Expect(regexp.MustCompile(`\(qemu\) `), 20*time.Second); err != nil {
		t.Fatal(err)
	}
	m.Write([]byte("info status\n"))
	if _, err := m.Expect(regexp.MustCompile(`VM status: paused`), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	m.Write([]byte("quit\n"))
	if code, err := m.Wait(); code != 0 || err != nil {
		t.Errorf("after quit: Wait = %d, %v", code, err)
	}
}

func TestTimeoutQuotesConsole(t *testing.T) {
	needQEMU(t)
	m := halted(t, context.Background())
	m.Write([]byte("\x01c"))
	if _, err := m.Expect(regexp.MustCompile(`\(qemu\) `), 20*time.Second); err != nil {
		t.Fatal(err)
	}
	m.Write([]byte("info version\n"))
	start := time.Now()
	_, err := m.Expect(regexp.MustCompile(`never printed`), 1500*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "not seen within") || !strings.Contains(err.Error(), "(qemu)") {
		t.Fatalf("timeout error = %v", err)
	}
	if d := time.Since(start); d < 1400*time.Millisecond || d > 10*time.Second {
		t.Errorf("timeout after %v, want ~1.5s", d)
	}
}

func TestKillReaps(t *testing.T) {
	needQEMU(t)
	m := halted(t, context.Background())
	m.Kill()
	select {
	case <-m.Done():
	default:
		t.Fatal("Kill returned before the process was reaped")
	}
	if code, _ := m.Wait(); code != -1 {
		t.Errorf("killed process exit code = %d, want -1", code)
	}
	m.Kill() // idempotent
}

func TestContextCancelKills(t *testing.T) {
	needQEMU(t)
	ctx, cancel := context.WithCancel(context.Background())
	m := halted(t, ctx)
	cancel()
	select {
	case <-m.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("process still running 15s after cancel")
	}
}

func TestStartMissingBinary(t *testing.T) {
	if _, err := Start(context.Background(), "/nonexistent/qemu", nil); err == nil {
		t.Fatal("Start of a missing binary succeeded")
	}
}

// TestKillGroup: Kill also ends what a wrapper started (as go run or
// qemuboot start QEMU), so nothing outlives the Machine.
func TestKillGroup(t *testing.T) {
	m, err := Start(context.Background(), "/bin/sh", []string{"-c", "sleep 300 & echo child=$!; wait"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Expect(regexp.MustCompile(`child=\d+`), 10*time.Second)
	if err != nil {
		m.Kill()
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimPrefix(got, "child="))
	m.Kill()
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("grandchild %d survived Kill", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}
