package delve

// Launching: find dlv, build the debuggee without optimisations, start
// `dlv exec --headless --api-version=2` on a loopback port chosen by the
// kernel, read the address dlv prints, and connect the JSON-RPC client.
// Every failure is an error that says what to do about it.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/build"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrNoDlv means the dlv binary was not found.
var ErrNoDlv = errors.New("dlv (Delve) not found on PATH nor in GOBIN/GOPATH/bin: run `make prereqs`, which installs the version in go.mod (go install github.com/go-delve/delve/cmd/dlv@VERSION)")

// Options configure Start.
type Options struct {
	Scenario string        // sandbox scenario: built-in name or YAML file
	Dlv      string        // dlv binary; "" = $COPSLAB_DLV, PATH, GOBIN, GOPATH/bin
	Root     string        // module root (holds go.mod of copslab); "" = $COPSLAB_ROOT or upwards from the working directory
	Timeout  time.Duration // for building and for dlv to come up; 0 = 5 minutes (a cold build of the runtime without optimisations on a loaded machine)
}

// FindDlv returns the dlv binary to use: path if given, else
// $COPSLAB_DLV, else the one scripts/prereqs.sh installs (GOBIN, else
// GOPATH/bin), else dlv on PATH.
func FindDlv(path string) (string, error) {
	if path == "" {
		path = os.Getenv("COPSLAB_DLV")
	}
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("%w (%s: %v)", ErrNoDlv, path, errors.Unwrap(err))
		}
		return p, nil
	}
	gobin, gopath := os.Getenv("GOBIN"), build.Default.GOPATH
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil { // as prereqs.sh sees them
		if l := strings.Split(string(out), "\n"); len(l) >= 2 {
			gobin, gopath = strings.TrimSpace(l[0]), strings.TrimSpace(l[1])
		}
	}
	var dirs []string
	if gobin != "" {
		dirs = append(dirs, gobin)
	}
	for _, gp := range filepath.SplitList(gopath) {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "dlv")
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	if p, err := exec.LookPath("dlv"); err == nil {
		return p, nil
	}
	return "", ErrNoDlv
}

// FindRoot returns the copslab module root: root if given, else
// $COPSLAB_ROOT, else the first directory upwards from the working
// directory whose go.mod declares module copslab.
func FindRoot(root string) (string, error) {
	if root == "" {
		root = os.Getenv("COPSLAB_ROOT")
	}
	if root != "" {
		if !isRoot(root) {
			return "", fmt.Errorf("%s is not the copslab source tree (no go.mod with module copslab)", root)
		}
		return root, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isRoot(dir) {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("the copslab source tree was not found above the working directory (Delve debugs a sandbox built from it): run copslab from the repository or set COPSLAB_ROOT")
		}
		dir = up
	}
}

func isRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && bytes.HasPrefix(bytes.TrimSpace(b), []byte("module copslab\n"))
}

// BuildDebuggee compiles the debuggee into dir with optimisations and
// inlining off, so every line and local of sched/ is visible to Delve.
func BuildDebuggee(ctx context.Context, root, dir string) (string, error) {
	exe := filepath.Join(dir, "debuggee")
	cmd := exec.CommandContext(ctx, "go", "build", "-gcflags=all=-N -l", "-o", exe, debuggeePkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the debuggee (go build -gcflags='all=-N -l' %s): %v\n%s", debuggeePkg, err, bytes.TrimSpace(out))
	}
	return exe, nil
}

// server is a running headless dlv.
type server struct {
	cmd    *exec.Cmd
	addr   string
	out    *tailBuffer // dlv's and the debuggee's output, the last few KiB
	exited chan struct{}
	err    error // set before exited is closed
}

// listenPrefix starts the line dlv prints once its API server listens.
const listenPrefix = "API server listening at: "

// startServer runs dlv headless on exe and waits until it listens.
func startServer(ctx context.Context, dlv, exe string, args ...string) (*server, error) {
	cmdArgs := append([]string{"exec", "--headless", "--api-version=2", "--listen=127.0.0.1:0", exe, "--"}, args...)
	cmd := exec.Command(dlv, cmdArgs...)
	cmd.Dir = filepath.Dir(exe)
	dieWithParent(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, out: &tailBuffer{max: 8 << 10}, exited: make(chan struct{})}
	cmd.Stderr = s.out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", dlv, err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		found := false
		for sc.Scan() {
			line := sc.Text()
			if a, ok := strings.CutPrefix(line, listenPrefix); ok && !found {
				found = true
				addr <- strings.TrimSpace(a)
				continue
			}
			s.out.Write([]byte(line + "\n"))
		}
		io.Copy(io.Discard, stdout)
		s.err = cmd.Wait()
		close(s.exited)
	}()
	select {
	case a := <-addr:
		if h, _, err := net.SplitHostPort(a); err != nil || !net.ParseIP(h).IsLoopback() {
			s.kill()
			return nil, fmt.Errorf("dlv listens on %q, not on loopback", a)
		}
		s.addr = a
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("dlv exited before listening (%v): %s", s.err, strings.TrimSpace(s.out.String()))
	case <-ctx.Done():
		s.kill()
		return nil, fmt.Errorf("dlv did not start listening: %w; its output: %s", ctx.Err(), strings.TrimSpace(s.out.String()))
	}
}

// kill ends dlv (and with it the debuggee) and waits for it.
func (s *server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Kill()
	<-s.exited
}

// wait waits up to d for dlv to exit by itself, then kills it.
func (s *server) wait(d time.Duration) {
	select {
	case <-s.exited:
	case <-time.After(d):
		s.kill()
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
