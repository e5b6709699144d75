package user

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"copslab/kernel/uabi"
)

var update = flag.Bool("update", false, "rewrite the system call table in README.md from qemu-riscv64 -strace")

// straceRun is one program's run under QEMU_STRACE=1 and how to run it.
type straceRun struct {
	name string
	opts runOpts
	args []string
}

var straceRuns = []straceRun{
	{name: "hello"},
	{name: "gostress"},
	{name: "threads"},
	{name: "pipeping"},
	{name: "execer"},
	{name: "nilderef"},
	{name: "spin", opts: runOpts{timeout: 3 * time.Second}},
	{name: "memhog", opts: runOpts{ulimitV: 2000000}},
	{name: "switchbench", args: []string{"-n", "100"}},
	{name: "init", opts: runOpts{stdin: "hello a\nps\nspin &\nkill $!\nexit\n"}},
}

var (
	// Lines of different threads interleave ("...)4711 nanosleep(..."), so
	// calls are found anywhere a pid follows a non-digit.
	straceCall = regexp.MustCompile(`(?:^|[^0-9])(\d+) (?:([a-z][a-z_0-9]*)\(|Unknown syscall (\d+))`)
)

// straceCounts parses qemu-user's -strace log: per system call, how often
// the program's own process (the first pid in the log) made it, and how
// often its children did.
func straceCounts(log string) (own, children map[string]int) {
	own, children = map[string]int{}, map[string]int{}
	first := ""
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		for _, m := range straceCall.FindAllStringSubmatch(sc.Text(), -1) {
			pid, name := m[1], m[2]
			if name == "" {
				nr, _ := strconv.ParseUint(m[3], 10, 64)
				name = uabi.SyscallName(nr)
			}
			if first == "" {
				first = pid
			}
			if pid == first {
				own[name]++
			} else {
				children[name]++
			}
		}
	}
	return own, children
}

// TestStraceSyscalls runs the programs under qemu-user's system call trace
// and checks that the log parses into known system calls, including the
// ones every Go program makes at start-up. With -update it writes the
// per-program table into README.md.
func TestStraceSyscalls(t *testing.T) {
	needQemu(t)
	cols := []string{}
	table := map[string]map[string]int{} // syscall → column → count
	for _, sr := range straceRuns {
		o := sr.opts
		o.env = append(o.env, "QEMU_STRACE=1")
		r := run(t, sr.name, o, sr.args...)
		own, children := straceCounts(r.stderr)
		for _, must := range []string{"rt_sigaction", "rt_sigprocmask", "sigaltstack",
			"mmap", "clone", "gettid", "sched_getaffinity", "clock_gettime"} {
			if own[must] == 0 {
				t.Errorf("%s: no %s in the trace (parser or program broken)", sr.name, must)
			}
		}
		add := func(col string, counts map[string]int) {
			if len(counts) == 0 {
				return
			}
			cols = append(cols, col)
			for name, n := range counts {
				if strings.HasPrefix(name, "sys_") {
					t.Errorf("%s: unknown system call %s", col, name)
				}
				if table[name] == nil {
					table[name] = map[string]int{}
				}
				table[name][col] += n
			}
		}
		add(sr.name, own)
		add(sr.name+" children", children)
	}
	md := formatTable(cols, table)
	if *update {
		if err := replaceSection("README.md", md); err != nil {
			t.Fatal(err)
		}
		t.Logf("README.md updated: %d system calls", len(table))
	} else {
		t.Logf("%d system calls seen; run with -update to rewrite README.md", len(table))
	}
}

// formatTable renders the counts as a Markdown table, one row per system
// call in number order, one column per program.
func formatTable(cols []string, table map[string]map[string]int) string {
	var names []string
	for n := range table {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, _ := uabi.SyscallNumber(names[i])
		b, _ := uabi.SyscallNumber(names[j])
		return a < b
	})
	var b strings.Builder
	b.WriteString("| nr | system call |")
	for _, c := range cols {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n|---:|---|")
	for range cols {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, n := range names {
		nr, _ := uabi.SyscallNumber(n)
		fmt.Fprintf(&b, "| %d | %s |", nr, n)
		for _, c := range cols {
			if v := table[n][c]; v > 0 {
				fmt.Fprintf(&b, " %d |", v)
			} else {
				b.WriteString(" |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

const (
	beginMark = "<!-- syscall table: begin (go test ./kernel/user -run Strace -update) -->\n"
	endMark   = "<!-- syscall table: end -->\n"
)

// replaceSection puts md between the markers in file.
func replaceSection(file, md string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, beginMark), strings.Index(s, endMark)
	if i < 0 || j < i {
		return fmt.Errorf("%s: markers %q/%q missing", file, beginMark, endMark)
	}
	s = s[:i+len(beginMark)] + md + s[j:]
	return os.WriteFile(file, []byte(s), 0o644)
}
