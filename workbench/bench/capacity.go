package bench

import (
	"fmt"
	"io"
	"sort"
)

// Memory per connection and the most connections each server form
// sustains at -m 512M (the board's memory): the web server at growing
// connection counts, one boot each, a short window; a boot that fails
// says why (memory, or a limit of the kernel or of the scheduler state).
// The records are webbench's web lines.

// CapacityConns are the connection counts tried.
func CapacityConns(m Mode) []int {
	if m == Short {
		// 128: more connections than the receiver's 64 async calls in
		// flight, so the coroutine form's calls wait for free ring slots
		// (and every response is checked by its client).
		return []int{128}
	}
	// 254: a Local's 256 coroutine slots less the idle coroutine's and
	// one spare; 400: near the 1024 descriptors a process may hold (two
	// per connection, and a client's ends while it starts).
	return []int{64, 128, 192, 254, 256, 384, 400, 448}
}

// capacityWindowMS is each boot's window: long enough that every
// connection is busy when the memory is read (half way).
const capacityWindowMS = 200

var capacityExperiment = Experiment{
	Name:     "web-max",
	Title:    "memory per connection and the most connections at -m 512M",
	Programs: []string{"webbench"},
	Boots: func(m Mode) []Boot {
		var bs []Boot
		for _, f := range WebForms {
			for _, c := range CapacityConns(m) {
				bs = append(bs, Boot{Args: fmt.Sprintf("-t %dms webbench -form %s -conns %d -ms %d",
					capacityWindowMS+20000, f, c, capacityWindowMS)})
			}
		}
		return bs
	},
	Convert: func(out string) ([]Record, error) {
		rs, err := ParseConsole(out)
		var keep []Record
		for _, r := range rs {
			if r.Exp == "web" {
				r.Exp = "web-max"
				keep = append(keep, r)
			}
		}
		return keep, err
	},
	Plot: func(dir string, rs []Record) ([]string, error) {
		p := newPlot("memory taken from the kernel's frame pool vs connections (mid-window)", "connections", "MiB")
		sys, names := series(rs, "form", "conns", "frames_kib", 1.0/1024)
		if err := addLines(p, sys, names, "", false); err != nil {
			return nil, err
		}
		p.Y.Min = 0
		return one(save(p, dir, "web-max"))
	},
	Report: reportCapacity,
}

// capacity is what the records say about one form.
type capacity struct {
	most          int     // most connections served
	perConnKiB    float64 // frame pool (kernel) per added connection, smallest to largest point served
	perConnSysKiB float64 // the server's Go Sys per added connection, the same points
}

func capacities(rs []Record) map[string]capacity {
	type pt struct{ conns, frames, sys float64 }
	pts := map[string][]pt{}
	for _, r := range rs {
		c, ok1 := num(r, "conns")
		k, ok2 := num(r, "frames_kib")
		s, ok3 := num(r, "sys_kib")
		if ok1 && ok2 && ok3 && k >= 0 {
			pts[r.Get("form")] = append(pts[r.Get("form")], pt{c, k, s})
		}
	}
	out := map[string]capacity{}
	for f, ps := range pts {
		sort.Slice(ps, func(i, j int) bool { return ps[i].conns < ps[j].conns })
		lo, hi := ps[0], ps[len(ps)-1]
		c := capacity{most: int(hi.conns)}
		if hi.conns > lo.conns {
			c.perConnKiB = (hi.frames - lo.frames) / (hi.conns - lo.conns)
			c.perConnSysKiB = (hi.sys - lo.sys) / (hi.conns - lo.conns)
		}
		out[f] = c
	}
	return out
}

func reportCapacity(w io.Writer, rs []Record) {
	fmt.Fprintf(w, "Frames: what the kernel's frame pool lost between the server's start and mid-window\n")
	fmt.Fprintf(w, "(/proc/meminfo: user memory, page tables and Locals of the server and its 4 clients;\n")
	fmt.Fprintf(w, "the clients are the same in every form). Go Sys: the server's Go runtime.\n\n")
	fmt.Fprintf(w, "| form | conns | frames (KiB) | per conn | Go Sys (KiB) | server threads | req/s |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		c, _ := num(r, "conns")
		k, _ := num(r, "frames_kib")
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.1f | %s | %s | %s |\n", r.Get("form"), c, k, k/c, r.Get("sys_kib"), r.Get("threads"), r.Get("req_per_s"))
	}
	caps := capacities(rs)
	fmt.Fprintf(w, "\n| form | most connections served | frames per added connection (KiB) | Go Sys per added connection (KiB) | paper (FPGA, memory-bound) |\n|---|---:|---:|---:|---:|\n")
	for _, f := range WebForms {
		c, ok := caps[f]
		paper := "—"
		if n, ok := PaperMaxConns[f]; ok {
			paper = fmt.Sprint(n)
		}
		if !ok {
			fmt.Fprintf(w, "| %s | none | — | — | %s |\n", f, paper)
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %.1f | %s |\n", f, c.most, c.perConnKiB, c.perConnSysKiB, paper)
	}
	fmt.Fprintln(w, "\nWhy a larger count failed is in the failed boots below.")
}
