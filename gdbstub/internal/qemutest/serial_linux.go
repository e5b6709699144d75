package qemutest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

var ptyLine = regexp.MustCompile(`char device redirected to (\S+) \(label gdb\)`)

// StartSerial runs QEMU with its gdb stub on a pseudo-terminal (-gdb pty)
// instead of TCP, and returns the terminal opened in raw mode: a byte
// stream with the same properties as a UART. QEMU is killed in t.Cleanup.
func StartSerial(t testing.TB, prog *Prog) (*QEMU, *os.File) {
	t.Helper()
	bin := Need(t, QEMUBinary)
	q := &QEMU{Addr: "pty", done: make(chan struct{})}
	q.cmd = exec.Command(bin, "-machine", "virt", "-nographic", "-bios", "none", "-S",
		"-gdb", "pty", "-device", "loader,file="+prog.Path+",cpu-num=0")
	q.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := q.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	q.cmd.Stderr = q.cmd.Stdout
	if err := q.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { q.cmd.Wait(); close(q.done) }()
	t.Cleanup(q.Kill)
	path := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := ptyLine.FindStringSubmatch(sc.Text()); m != nil {
				path <- m[1]
			}
		}
	}()
	select {
	case p := <-path:
		f, err := openRaw(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return q, f
	case <-q.done:
		t.Fatal("qemu exited before naming its pty")
	case <-time.After(StartTimeout):
		t.Fatal("qemu did not name its gdb pty")
	}
	return nil, nil
}

// openRaw opens a terminal and switches off echo, line editing and
// character translation, as for a UART carrying binary data.
func openRaw(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	var tio syscall.Termios
	if err := ioctl(f, syscall.TCGETS, &tio); err != nil {
		f.Close()
		return nil, fmt.Errorf("qemutest: TCGETS %s: %w", path, err)
	}
	// cfmakeraw, spelled out.
	tio.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP |
		syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	tio.Oflag &^= syscall.OPOST
	tio.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	tio.Cflag &^= syscall.CSIZE | syscall.PARENB
	tio.Cflag |= syscall.CS8
	tio.Cc[syscall.VMIN], tio.Cc[syscall.VTIME] = 1, 0
	if err := ioctl(f, syscall.TCSETS, &tio); err != nil {
		f.Close()
		return nil, fmt.Errorf("qemutest: TCSETS %s: %w", path, err)
	}
	return f, nil
}

func ioctl(f *os.File, req uintptr, tio *syscall.Termios) error {
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(unsafe.Pointer(tio)))
	if errno != 0 {
		return errno
	}
	return nil
}
