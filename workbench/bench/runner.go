package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
	"copslab/kernel/build"
)

// Options configure a run of the experiments.
type Options struct {
	Mode  Mode
	Out   string // directory for the CSV and PNG files (and the kernel)
	Root  string // module root (the repository); "" finds it with go env
	Board string // board profile YAML; "": boards/qemu-virt.yaml under Root
	// Only, if set, runs these experiments (names) only.
	Only []string
	// BootTimeout bounds one boot on the wall clock (0: 10 minutes). A
	// boot that runs out is recorded as failed, not retried.
	BootTimeout time.Duration
	// Progress receives one line per step (nil: none).
	Progress func(format string, a ...any)
}

// Result is what one experiment produced.
type Result struct {
	Exp     Experiment
	Records []Record
	Failed  []string // boots that did not end with a result, and why
	CSV     string   // path written
	PNGs    []string // paths written
}

// Run builds a kernel with the experiments' programs, boots it once per
// measurement and writes every experiment's CSV and plots into o.Out.
func Run(ctx context.Context, o Options) ([]*Result, error) {
	if o.BootTimeout == 0 {
		o.BootTimeout = 10 * time.Minute
	}
	say := o.Progress
	if say == nil {
		say = func(string, ...any) {}
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	root := o.Root
	if root == "" {
		r, err := moduleRoot()
		if err != nil {
			return nil, err
		}
		root = r
	}
	board := o.Board
	if board == "" {
		board = filepath.Join(root, "boards", "qemu-virt.yaml")
	}
	prof, err := boards.Load(board)
	if err != nil {
		return nil, err
	}
	exps, err := selectExperiments(o.Only)
	if err != nil {
		return nil, err
	}
	kernel := filepath.Join(o.Out, "kernel.elf")
	var progs []string
	for _, e := range exps {
		for _, p := range e.Programs {
			progs = append(progs, filepath.Join(root, "kernel", "user", p))
		}
	}
	say("building the kernel with %v…", progs)
	if err := build.Build(build.Options{Out: kernel, Go: goCommand(), Progs: dedup(progs), Root: root}); err != nil {
		return nil, fmt.Errorf("building the kernel: %w", err)
	}
	var results []*Result
	for _, e := range exps {
		res := &Result{Exp: e}
		boots := e.Boots(o.Mode)
		for i, b := range boots {
			say("%s [%d/%d]: run %s", e.Name, i+1, len(boots), b.Args)
			start := time.Now()
			out, err := bootOnce(ctx, prof, kernel, b, o.BootTimeout)
			if err == nil {
				var rs []Record
				rs, err = records(e, out)
				if err == nil && len(rs) == 0 {
					err = errors.New("no result lines")
				}
				res.Records = append(res.Records, rs...)
			}
			if err != nil {
				if ctx.Err() != nil {
					return results, ctx.Err()
				}
				res.Failed = append(res.Failed, fmt.Sprintf("run %s: %v", b.Args, err))
				say("%s [%d/%d]: FAILED: %v", e.Name, i+1, len(boots), err)
				continue
			}
			say("%s [%d/%d]: done in %s", e.Name, i+1, len(boots), time.Since(start).Round(time.Second))
		}
		res.CSV = filepath.Join(o.Out, e.Name+".csv")
		if err := WriteCSV(res.CSV, res.Records); err != nil {
			return results, err
		}
		pngs, err := Plot(o.Out, res)
		if err != nil {
			return results, fmt.Errorf("%s: plotting: %w", e.Name, err)
		}
		res.PNGs = pngs
		results = append(results, res)
	}
	return results, nil
}

// records picks an experiment's records out of a console.
func records(e Experiment, out string) ([]Record, error) {
	if e.Convert != nil {
		return e.Convert(out)
	}
	rs, err := ParseConsole(out)
	var keep []Record
	for _, r := range rs {
		if r.Exp == e.Name {
			keep = append(keep, r)
		}
	}
	return keep, err
}

// bootOnce boots the kernel with -icount shift=0,sleep=off running b and
// returns the console once the kernel powered off. sleep=off: when the
// guest idles (every thread waits for a timer) the guest clock jumps to
// the next timer instead of QEMU sleeping for it in real time.
func bootOnce(ctx context.Context, prof *boards.Profile, kernel string, b Boot, limit time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	args := append(prof.QEMUArgs(kernel, boards.RunOptions{Append: "run " + b.Args}), "-icount", "shift=0,sleep=off")
	m, err := qemu.Start(ctx, prof.QEMU.Binary, args)
	if err != nil {
		return "", err
	}
	defer m.Kill()
	select {
	case <-m.Done():
	case <-ctx.Done():
		return m.Output(), fmt.Errorf("no power-off within %s (killed)", limit)
	}
	code, err := m.Wait()
	if err != nil {
		return m.Output(), err
	}
	if code != 0 {
		return m.Output(), fmt.Errorf("the kernel exited with status %d: %s", code, why(m.Output()))
	}
	return m.Output(), nil
}

func selectExperiments(only []string) ([]Experiment, error) {
	if len(only) == 0 {
		return Experiments, nil
	}
	var es []Experiment
	for _, n := range only {
		found := false
		for _, e := range Experiments {
			if e.Name == n {
				es, found = append(es, e), true
			}
		}
		if !found {
			return nil, fmt.Errorf("no experiment %q (have %v)", n, Names())
		}
	}
	return es, nil
}

// Names lists the experiments.
func Names() []string {
	var n []string
	for _, e := range Experiments {
		n = append(n, e.Name)
	}
	return n
}

func moduleRoot() (string, error) {
	out, err := exec.Command(goCommand(), "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := string(out)
	for len(mod) > 0 && (mod[len(mod)-1] == '\n' || mod[len(mod)-1] == '\r') {
		mod = mod[:len(mod)-1]
	}
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the copslab module (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}

func goCommand() string {
	g := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(g); err == nil {
		return g
	}
	return "go"
}

func dedup(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// why picks the console lines that say how a failed run ended (a FAIL
// line, a kill, a runtime's fatal error), at most three, joined by " | ";
// without any, the last line.
func why(s string) string {
	var ls, all []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		all = append(all, l)
		if strings.Contains(l, "FAIL") || strings.Contains(l, "killed") || strings.HasPrefix(l, "fatal error") || strings.HasPrefix(l, "runtime: ") {
			ls = append(ls, l)
		}
	}
	if len(ls) == 0 && len(all) > 0 {
		ls = all[len(all)-1:]
	}
	if len(ls) > 3 {
		ls = ls[:3]
	}
	return strings.Join(ls, " | ")
}
