// Package qemutest starts the real programs the gdbstub tests talk to: it
// builds the bare-metal test program (gdbstub/testprog) with the Go
// toolchain and runs it halted under qemu-system-riscv64 with a gdb stub
// on a free loopback port. Tests skip with the reason when a binary is
// missing, and every QEMU is killed in t.Cleanup.
package qemutest

import (
	"debug/elf"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Limits.
const (
	StartTimeout = 15 * time.Second // until QEMU's stub accepts connections
	BuildTimeout = 3 * time.Minute
	// LinkBase is where the program's text starts (see bare-metal-go.md:
	// RAM base 0x80000000 plus room, plus the 0x1000 header offset).
	LinkBase = "0x80201000"
	// EntrySymbol is the ELF entry point.
	EntrySymbol = "main.entry"
)

// The real programs the tests talk to, chosen by flags so that another
// QEMU or gdb build can be tested:
//
//	go test ./gdbstub/client ./gdbstub/server ./gdbstub/proxy -gdbstub.qemu=/opt/qemu-9/bin/qemu-system-riscv64
var (
	QEMUBinary = "qemu-system-riscv64"
	GDBBinary  = "gdb-multiarch"
)

func init() {
	flag.StringVar(&QEMUBinary, "gdbstub.qemu", QEMUBinary, "QEMU binary the gdbstub tests run")
	flag.StringVar(&GDBBinary, "gdbstub.gdb", GDBBinary, "gdb binary the gdbstub tests run")
}

// Prog is the built test program and the addresses of its symbols.
type Prog struct {
	Path    string
	Entry   uint64 // main.entry (ABI0 body)
	Tick    uint64 // main.tick: the breakpoint target
	Counter uint64 // main.counter: incremented by each tick
	Scratch uint64 // main.scratch: 64 words tests may overwrite
}

// Need skips the test when bin is not installed.
func Need(t testing.TB, bin string) string {
	t.Helper()
	p, err := exec.LookPath(bin)
	if err != nil {
		t.Skipf("%s not installed (%v); scripts/prereqs.sh installs it", bin, err)
	}
	return p
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// Build builds gdbstub/testprog for bare-metal riscv64 into a temporary
// directory and reads its symbol addresses.
func Build(t testing.TB) *Prog {
	t.Helper()
	out := filepath.Join(t.TempDir(), "testprog.elf")
	cmd := exec.Command(goTool(), "build", "-o", out,
		"-ldflags", "-T "+LinkBase+" -E "+EntrySymbol, "copslab/gdbstub/testprog")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0")
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(BuildTimeout):
			cmd.Process.Kill()
		}
	}()
	msg, err := cmd.CombinedOutput()
	close(done)
	if err != nil {
		t.Fatalf("building test program: %v\n%s", err, msg)
	}
	p, err := readSymbols(out)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readSymbols(path string) (*Prog, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("qemutest: %w", err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("qemutest: symbols of %s: %w", path, err)
	}
	p := &Prog{Path: path}
	want := map[string]*uint64{"main.entry.abi0": &p.Entry, "main.tick.abi0": &p.Tick,
		"main.counter": &p.Counter, "main.scratch": &p.Scratch}
	for _, s := range syms {
		if dst, ok := want[s.Name]; ok {
			*dst = s.Value
			delete(want, s.Name)
		}
	}
	if len(want) > 0 {
		return nil, fmt.Errorf("qemutest: %s lacks symbols %v", path, want)
	}
	if f.Entry != p.Entry {
		return nil, fmt.Errorf("qemutest: entry %#x is not main.entry %#x", f.Entry, p.Entry)
	}
	return p, nil
}

// QEMU is a running qemu-system-riscv64, halted at start, with a gdb stub.
type QEMU struct {
	Addr string // host:port of the gdb stub
	cmd  *exec.Cmd
	done chan struct{}
	log  *strings.Builder
}

// Start runs QEMU on the program, halted (-S), with its gdb stub on a free
// loopback port, and waits until the stub accepts connections. The
// process is killed in t.Cleanup.
func Start(t testing.TB, prog *Prog) *QEMU {
	t.Helper()
	bin := Need(t, QEMUBinary)
	var lastErr error
	for try := 0; try < 3; try++ {
		q, err := start(bin, prog.Path)
		if err == nil {
			t.Cleanup(q.Kill)
			return q
		}
		lastErr = err
	}
	t.Fatalf("starting QEMU: %v", lastErr)
	return nil
}

func start(bin, elfPath string) (*QEMU, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	q := &QEMU{Addr: fmt.Sprintf("127.0.0.1:%d", port), done: make(chan struct{}), log: &strings.Builder{}}
	q.cmd = exec.Command(bin, "-machine", "virt", "-nographic", "-bios", "none", "-S",
		"-gdb", "tcp:"+q.Addr, "-device", "loader,file="+elfPath+",cpu-num=0")
	q.cmd.Stdout, q.cmd.Stderr = q.log, q.log
	q.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := q.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { q.cmd.Wait(); close(q.done) }()
	if err := q.waitListening(); err != nil {
		q.Kill()
		return nil, err
	}
	return q, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitListening polls until the port accepts a connection. QEMU's stub
// serves one client at a time and accepts a new one after the probe closes.
func (q *QEMU) waitListening() error {
	deadline := time.Now().Add(StartTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-q.done:
			return fmt.Errorf("qemu exited early: %s", q.log.String())
		default:
		}
		// QEMU opens the listening socket before it starts; a probe
		// connection would take the single client slot, so only check
		// that something listens via a connect that is closed at once.
		c, err := net.DialTimeout("tcp", q.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			time.Sleep(50 * time.Millisecond) // let QEMU notice the close
			select {
			case <-q.done: // the port belonged to someone else
				return fmt.Errorf("qemu exited early: %s", q.log.String())
			default:
				return nil
			}
		}
		time.Sleep(30 * time.Millisecond)
	}
	return fmt.Errorf("qemu stub at %s not listening after %v", q.Addr, StartTimeout)
}

// Kill ends QEMU and waits for it. It is safe to call more than once.
func (q *QEMU) Kill() {
	select {
	case <-q.done:
		return
	default:
	}
	if q.cmd.Process != nil {
		q.cmd.Process.Kill()
	}
	select {
	case <-q.done:
	case <-time.After(10 * time.Second):
	}
}

// Exited is closed when the QEMU process has ended.
func (q *QEMU) Exited() <-chan struct{} { return q.done }

// Signal sends sig to QEMU (e.g. syscall.SIGTERM, as a user's kill does).
func (q *QEMU) Signal(sig os.Signal) error { return q.cmd.Process.Signal(sig) }
