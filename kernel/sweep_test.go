package kernel_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"copslab/boards"
	"copslab/kernel/build"
)

// The sweep of Go's own self-checking test programs.
//
// $GOROOT/test holds the programs the Go project runs to test its
// compiler and runtime; the top-level files marked `// run` are whole
// programs that exit 0 (and print what their .out file says, if they
// have one) when everything is right. TestGoTestSweep builds every one
// of them for linux/riscv64, runs each under qemu-riscv64 (user-mode
// Linux: the reference) and on the kernel (batches of sweepBatch
// programs embedded in one kernel, booted with `-append "each ..."`),
// and fails if a program passes under qemu-riscv64 but not on the
// kernel, unless sweepKnown names it with the reason. The counts go to
// the log (and kernel/README):
//
//	sweep: 141 programs, 139 pass under qemu-riscv64, 137 on the kernel
//
// The list is the installed Go's (1.26 here), sorted: reproducible for
// one Go version. Programs that need arguments, other files or a
// different GOOS are the `// run` variants this test does not take
// (`// run -gcflags…`, `// runoutput`, `// rundir`).

// sweepBatch programs share one kernel image (each embeds 1.2–2 MiB).
const sweepBatch = 24

// sweepLimit bounds one program's run, under either system.
const sweepLimit = 3 * time.Minute

// sweepKnown lists the programs that pass under qemu-riscv64 but not
// on the kernel, with the reason.
var sweepKnown = map[string]string{
	"const7":   "runs the go command (go build) in a directory under /tmp: the kernel has no Go toolchain",
	"winbatch": "reads $GOROOT/src/all.bat from the host's file system, which a program on the kernel cannot see",
}

// sweepResult is how one program ended.
type sweepResult struct {
	status int    // exit status (-1: did not end)
	output string // stdout and stderr (console output on the kernel), \n line ends
}

// pass reports whether r is a passing run of a program whose expected
// output is want ("" when the program has no .out file: any output).
func (r sweepResult) pass(want string, hasWant bool) bool {
	return r.status == 0 && (!hasWant || r.output == want)
}

// sweepPrograms lists $GOROOT/test/*.go whose first line is `// run`.
func sweepPrograms(t *testing.T) (dir string, names []string) {
	dir = filepath.Join(runtime.GOROOT(), "test")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Skipf("no Go test programs in %s (%v)", dir, err)
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := bufio.NewReader(fh).ReadString('\n')
		fh.Close()
		if strings.TrimSpace(first) == "// run" {
			names = append(names, strings.TrimSuffix(filepath.Base(f), ".go"))
		}
	}
	sort.Strings(names)
	return dir, names
}

func TestGoTestSweep(t *testing.T) {
	for _, bin := range []string{qemuBinary, "qemu-riscv64"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (scripts/prereqs.sh installs it): %v", bin, err)
		}
	}
	src, names := sweepPrograms(t)
	profile, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	var (
		mu              sync.Mutex
		linux, onKernel = map[string]sweepResult{}, map[string]sweepResult{}
		unbuilt         = map[string]string{}
		sem             = make(chan bool, 2) // two batches at a time (build, then both runs)
		wg              sync.WaitGroup
	)
	for i := 0; i < len(names); i += sweepBatch {
		batch := names[i:min(i+sweepBatch, len(names))]
		wg.Add(1)
		go func(n int, batch []string) {
			defer wg.Done()
			sem <- true
			defer func() { <-sem }()
			dir := filepath.Join(work, strconv.Itoa(n))
			progs, skipped := buildableSweep(src, batch)
			elf := filepath.Join(dir, "kernel.elf")
			err := build.Build(build.Options{Out: elf, WorkDir: filepath.Join(dir, "work"), Progs: progs})
			mu.Lock()
			for name, why := range skipped {
				unbuilt[name] = why
			}
			mu.Unlock()
			if err != nil {
				t.Errorf("batch %d: building the kernel: %v", n, err)
				return
			}
			var ran []string
			for _, p := range progs {
				name := build.ProgName(p)
				ran = append(ran, name)
				r := runLinux(filepath.Join(dir, "work", "progs", name), dir)
				mu.Lock()
				linux[name] = r
				mu.Unlock()
			}
			got, err := runSweepKernel(profile, elf, ran)
			if err != nil {
				t.Errorf("batch %d: %v", n, err)
			}
			mu.Lock()
			for name, r := range got {
				onKernel[name] = r
			}
			mu.Unlock()
		}(i/sweepBatch, batch)
	}
	wg.Wait()

	passLinux, passKernel := 0, 0
	var regressions, stillKnown []string
	for _, name := range names {
		if _, ok := unbuilt[name]; ok {
			continue
		}
		want, err := os.ReadFile(filepath.Join(src, name+".out"))
		hasWant := err == nil
		l, k := linux[name].pass(string(want), hasWant), onKernel[name].pass(string(want), hasWant)
		if l {
			passLinux++
		} else {
			t.Logf("sweep: %s fails under qemu-riscv64 too (status %d): %s", name, linux[name].status, tailLines(linux[name].output, 3))
		}
		if k {
			passKernel++
		}
		switch why, known := sweepKnown[name]; {
		case l && !k && !known:
			r := onKernel[name]
			regressions = append(regressions, fmt.Sprintf("%s: status %d, output:\n%s", name, r.status, tailLines(r.output, 15)))
		case l && !k:
			stillKnown = append(stillKnown, name+" ("+why+")")
		case k && known:
			t.Logf("sweep: %s passes on the kernel now: take it off sweepKnown", name)
		}
	}
	t.Logf("sweep: %d programs (%d not built for linux/riscv64), %d pass under qemu-riscv64, %d on the kernel",
		len(names), len(unbuilt), passLinux, passKernel)
	for _, s := range stillKnown {
		t.Logf("sweep: known difference: %s", s)
	}
	for _, s := range regressions {
		t.Errorf("sweep: passes under qemu-riscv64 but not on the kernel: %s", s)
	}
}

// buildableSweep returns the paths of the programs in batch that build
// for linux/riscv64 (build constraints can exclude a file), and why the
// others do not.
func buildableSweep(src string, batch []string) (progs []string, skipped map[string]string) {
	skipped = map[string]string{}
	for _, name := range batch {
		path := filepath.Join(src, name+".go")
		cmd := exec.Command("go", "list", "-f", "{{.Name}}", path)
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			skipped[name] = strings.TrimSpace(string(out))
			continue
		}
		progs = append(progs, path)
	}
	return progs, skipped
}

// runLinux runs one program under qemu-riscv64 in dir.
func runLinux(elf, dir string) sweepResult {
	ctx, cancel := context.WithTimeout(context.Background(), sweepLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "qemu-riscv64", elf)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r := sweepResult{status: cmd.ProcessState.ExitCode(), output: out.String()}
	if err != nil && r.status == 0 {
		r.status = -1
	}
	return r
}

var (
	eachStart = regexp.MustCompile(`(?m)^copslab: each: start (\S+)\n`)
	eachEnd   = regexp.MustCompile(`(?m)^copslab: run (\S+): (?:exited with status (\d+)|killed: .*; status (\d+)).*\n`)
)

// runSweepKernel boots the kernel with `each NAMES...` and splits the
// console by program.
func runSweepKernel(p *boards.Profile, elf string, names []string) (map[string]sweepResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(names)+1)*sweepLimit)
	defer cancel()
	args := p.QEMUArgs(elf, boards.RunOptions{Append: "each -t " + sweepLimit.String() + " " + strings.Join(names, " ")})
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, qemuBinary, args...)
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	console := strings.ReplaceAll(string(out), "\r\n", "\n")
	res := map[string]sweepResult{}
	starts := eachStart.FindAllStringSubmatchIndex(console, -1)
	for i, s := range starts {
		name := console[s[2]:s[3]]
		end := len(console)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		seg := console[s[1]:end]
		r := sweepResult{status: -1}
		if e := eachEnd.FindStringSubmatchIndex(seg); e != nil {
			if e[4] >= 0 {
				r.status, _ = strconv.Atoi(seg[e[4]:e[5]])
			} else {
				r.status, _ = strconv.Atoi(seg[e[6]:e[7]])
			}
			seg = seg[:e[0]]
		}
		r.output = seg
		res[name] = r
	}
	if len(res) != len(names) {
		return res, fmt.Errorf("the kernel ran %d of %d programs (QEMU: %v, stderr %q); console tail:\n%s",
			len(res), len(names), runErr, tailLines(stderr.String(), 5), tailLines(console, 20))
	}
	return res, nil
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
