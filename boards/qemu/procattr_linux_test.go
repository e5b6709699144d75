package qemu

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestQEMUEndsWithItsParent starts QEMU from a child process (this test
// binary again), kills that child with SIGKILL — no cleanup of ours runs
// — and checks the QEMU it started is gone too.
func TestQEMUEndsWithItsParent(t *testing.T) {
	needQEMU(t)
	if os.Getenv("COPSLAB_QEMU_PARENT") == "1" {
		m, err := Start(context.Background(), qemuBin, []string{"-machine", "virt", "-m", "64M", "-nographic", "-bios", "none", "-S"})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("qemu", m.Pid())
		time.Sleep(time.Hour)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestQEMUEndsWithItsParent$")
	cmd.Env = append(os.Environ(), "COPSLAB_QEMU_PARENT=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	var pid int
	if f := strings.Fields(line); len(f) == 2 && f[0] == "qemu" {
		pid, _ = strconv.Atoi(f[1])
	}
	if pid <= 0 {
		t.Fatalf("the parent reported %q (%v)", line, err)
	}
	if !alive(pid) {
		t.Fatalf("QEMU %d not running before its parent is killed", pid)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(-pid, syscall.SIGKILL)
			t.Fatalf("QEMU %d still runs 30 s after its parent was killed", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
