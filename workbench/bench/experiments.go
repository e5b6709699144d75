package bench

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// Mode chooses how much each experiment measures.
type Mode string

const (
	Short Mode = "short" // a few points each: minutes, for make test
	Full  Mode = "full"  // every point the paper has: make bench
)

// Boot is one boot of the kernel: the program and arguments it runs.
type Boot struct {
	Args string // kernel command line after "run ", e.g. "webbench -form thread -conns 8"
}

// Experiment is one of the paper's measurements.
type Experiment struct {
	Name  string // CSV and PNG base name
	Title string
	// Boots lists what to run in a mode.
	Boots func(Mode) []Boot
	// Convert, if set, makes records from a program's own console lines
	// (programs that print no BENCH lines); nil: the BENCH lines named Name.
	Convert func(console string) ([]Record, error)
	// Programs are the guest programs (kernel/user/NAME) it runs.
	Programs []string
	// Plot and Report, if set, draw its PNGs and write its report
	// section (experiments whose own file holds both; the older ones
	// are cases in plot.go and report.go).
	Plot   func(dir string, rs []Record) ([]string, error)
	Report func(w io.Writer, rs []Record)
}

// WebConns are the connection counts of the web server experiment.
func WebConns(m Mode) []int {
	if m == Short {
		return []int{1, 4, 16}
	}
	return []int{1, 2, 4, 8, 16, 32, 64, 128}
}

// WebForms are the server forms measured (webbench's -form).
// "coroutine" is the paper's form: user coroutines whose reads and
// writes are async calls completed by user interrupts (webbench's
// async.go); "coroutine-sync" the same coroutines with synchronous
// calls, an epoll sweep finding the requests (coroutine.go) — what
// async calls save.
var WebForms = []string{"thread", "goroutine", "coroutine", "coroutine-sync"}

// webWindowMS is the measuring window per boot, in guest milliseconds.
func webWindowMS(m Mode) int {
	if m == Short {
		return 50
	}
	return 500
}

// Experiments are every experiment, in the order they run.
var Experiments = []Experiment{
	{
		Name:     "switch",
		Title:    "context switch cost (instructions per switch, -icount)",
		Programs: []string{"switchbench", "coyield"},
		Boots: func(m Mode) []Boot {
			n := 2000
			if m == Short {
				n = 200
			}
			return []Boot{{Args: fmt.Sprintf("switchbench -n %d", n)}, {Args: fmt.Sprintf("coyield -n %d", n)}}
		},
		Convert: convertSwitch,
	},
	{
		Name:     "web",
		Title:    "pipe web server: requests and latency vs connections",
		Programs: []string{"webbench"},
		Boots: func(m Mode) []Boot {
			var bs []Boot
			for _, f := range WebForms {
				for _, c := range WebConns(m) {
					// -t: the kernel kills a run still going 5 s of guest time
					// after its window (one that cannot get the threads it
					// needs hangs in the Go runtime, where webbench's own
					// watchdog cannot fire).
					bs = append(bs, Boot{Args: fmt.Sprintf("-t %dms webbench -form %s -conns %d -ms %d", webWindowMS(m)+5000, f, c, webWindowMS(m))})
				}
			}
			return bs
		},
	},
	{
		Name:     "prio-uart",
		Title:    "priority experiment on the serial port (coroutines, one hart)",
		Programs: []string{"coprio"},
		Boots: func(m Mode) []Boot {
			n := 10
			if m == Short {
				n = 3
			}
			return []Boot{{Args: fmt.Sprintf("coprio -lines %d", n)}}
		},
		Convert: convertCoprio,
	},
	prioExperiment,
	capacityExperiment,
	ringExperiment,
}

var (
	reCoyield   = regexp.MustCompile(`coyield: coroutine switch: (\d+) instructions \(step functions\), (\d+) \(iter\.Pull\) \((\d+) switches each\)`)
	reCoprioRow = regexp.MustCompile(`coprio: +(\d) +(\d+) +(\d+) +(\d+)\r?\n`)
)

// convertSwitch keeps switchbench's BENCH lines and turns coyield's
// result line into two more records of the same experiment.
func convertSwitch(out string) ([]Record, error) {
	rs, err := ParseConsole(out)
	if err != nil {
		return nil, err
	}
	var keep []Record
	for _, r := range rs {
		if r.Exp == "switch" {
			keep = append(keep, r)
		}
	}
	if g := reCoyield.FindStringSubmatch(out); g != nil {
		for _, k := range []struct{ kind, v string }{{"coroutine-step", g[1]}, {"coroutine-pull", g[2]}} {
			keep = append(keep, Record{Exp: "switch", Keys: []string{"kind", "instructions", "cycles", "switches"},
				Values: []string{k.kind, k.v, "", g[3]}})
		}
	}
	return keep, nil
}

// convertCoprio turns coprio's table (priority, first and last line,
// latency from spawn to the first line in µs) into records.
func convertCoprio(out string) ([]Record, error) {
	var rs []Record
	for _, g := range reCoprioRow.FindAllStringSubmatch(out, -1) {
		us, _ := strconv.Atoi(g[4])
		rs = append(rs, Record{Exp: "prio-uart", Keys: []string{"prio", "first_line", "last_line", "latency_ns"},
			Values: []string{g[1], g[2], g[3], strconv.Itoa(us * 1000)}})
	}
	return rs, nil
}
