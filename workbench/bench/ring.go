package bench

import (
	"fmt"
	"io"
	"regexp"
	"strconv"

	"gonum.org/v1/plot"
)

// The async pipe ring: a token goes around a ring of pipe stages, each
// stage reading it from its pipe and writing it on to the next
// (kernel/user/uintrring), in three forms:
//
//   - async: each stage a coroutine (package cops) whose reads and writes
//     are async calls completed by user interrupts — the paper's ring;
//   - sync: each stage a thread of its own making blocking calls;
//   - proc: each stage a process of its own making blocking calls.
//
// async and sync spread the stages over processes of at most 32 (a
// process's Local holds 256 coroutines, its receiver 64 calls in flight).
// A run times RingRounds rounds after an untimed one; the time of one
// round is what we plot. The paper gives the ring's time at 16 and 512
// stages (43 and 573 ms; its predecessor design 202 and 5,502 ms) but
// not how many rounds that time covers, so its numbers and ours are on
// the same axis only as times, and what compares without the round
// count is how the time grows from 16 to 512 stages.

// RingStages are the ring sizes of a form in a mode.
func RingStages(m Mode, form string) []int {
	switch {
	case m == Short && form == "proc":
		return []int{16}
	case m == Short:
		return []int{16, 64}
	case form == "proc":
		// 128 processes of a Go program do not fit -m 512M: the 126th
		// fork fails with ENOMEM.
		return []int{16, 64}
	}
	return []int{16, 64, 128, 256, 512}
}

// RingForms are uintrring's forms.
var RingForms = []string{"async", "sync", "proc"}

// RingRounds is how many rounds a run times.
func RingRounds(m Mode) int {
	if m == Short {
		return 2
	}
	return 10
}

var reRing = regexp.MustCompile(`uintrring: (\w+) (\d+) stages \((\d+) processes\) x (\d+) rounds: token ok; (\d+) hops in \S+; per stage (\d+) ns, (\d+) instructions`)

var ringExperiment = Experiment{
	Name:     "ring",
	Title:    "async pipe ring: time per round vs stages",
	Programs: []string{"uintrring"},
	Boots: func(m Mode) []Boot {
		var bs []Boot
		for _, f := range RingForms {
			for _, s := range RingStages(m, f) {
				bs = append(bs, Boot{Args: fmt.Sprintf("-t 120s uintrring %s -s %d -r %d", f, s, RingRounds(m))})
			}
		}
		return bs
	},
	Convert: convertRing,
	Plot:    plotRing,
	Report:  reportRing,
}

// convertRing turns uintrring's result line into a record: per stage and
// per round in guest ns, and the instructions per stage.
func convertRing(out string) ([]Record, error) {
	var rs []Record
	for _, g := range reRing.FindAllStringSubmatch(out, -1) {
		stages, _ := strconv.Atoi(g[2])
		perStage, _ := strconv.ParseInt(g[6], 10, 64)
		rs = append(rs, Record{Exp: "ring",
			Keys:   []string{"form", "stages", "processes", "rounds", "hops", "stage_ns", "stage_instr", "round_ns"},
			Values: []string{g[1], g[2], g[3], g[4], g[5], g[6], g[7], strconv.FormatInt(perStage*int64(stages), 10)}})
	}
	return rs, nil
}

// ringRow is a form's record at a ring size.
func ringRow(rs []Record, form string, stages int) (Record, bool) {
	for _, r := range rs {
		if s, _ := num(r, "stages"); r.Get("form") == form && int(s) == stages {
			return r, true
		}
	}
	return Record{}, false
}

// RingRoundMS is a form's time per round in ms at a ring size.
func RingRoundMS(rs []Record, form string, stages int) (float64, bool) {
	r, ok := ringRow(rs, form, stages)
	if !ok {
		return 0, false
	}
	ns, ok := num(r, "round_ns")
	return ns / 1e6, ok
}

func plotRing(dir string, rs []Record) ([]string, error) {
	p := newPlot("pipe ring: time per round (ours, guest time) and the paper's ring times", "stages", "ms")
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	round, names := series(rs, "form", "stages", "round_ns", 1e-6)
	if err := addLines(p, round, names, " (ours, one round)", false); err != nil {
		return nil, err
	}
	var paper []PaperPoint
	for _, s := range []int{16, 512} {
		paper = append(paper, PaperPoint{"async", s, PaperRingMS[s]}, PaperPoint{"predecessor", s, PaperRingPredecessorMS[s]})
	}
	if err := addPaper(p, paper, 1, "(rounds not given)"); err != nil {
		return nil, err
	}
	p.Legend.Top, p.Legend.Left = true, true
	var ticks plot.ConstantTicks
	for _, s := range RingStages(Full, "async") {
		ticks = append(ticks, plot.Tick{Value: float64(s), Label: strconv.Itoa(s)})
	}
	p.X.Tick.Marker, p.X.Min, p.X.Max = ticks, 12, 680
	return one(save(p, dir, "ring"))
}

func reportRing(w io.Writer, rs []Record) {
	fmt.Fprintf(w, "Time per round in ms (guest time; instructions per stage in brackets); the paper's ring time (rounds not given):\n\n")
	fmt.Fprintf(w, "| stages |")
	for _, f := range RingForms {
		fmt.Fprintf(w, " %s |", f)
	}
	fmt.Fprintf(w, " paper | paper's predecessor |\n|---:|")
	for range RingForms {
		fmt.Fprintf(w, "---:|")
	}
	fmt.Fprintf(w, "---:|---:|\n")
	for _, s := range RingStages(Full, "async") {
		fmt.Fprintf(w, "| %d |", s)
		for _, f := range RingForms {
			r, ok := ringRow(rs, f, s)
			ms, _ := RingRoundMS(rs, f, s)
			if ok {
				fmt.Fprintf(w, " %.2f (%s) |", ms, r.Get("stage_instr"))
			} else {
				fmt.Fprintf(w, " — |")
			}
		}
		fmt.Fprintf(w, " %s | %s |\n", paperMS(PaperRingMS, s), paperMS(PaperRingPredecessorMS, s))
	}
	a16, ok16 := RingRoundMS(rs, "async", 16)
	a512, ok512 := RingRoundMS(rs, "async", 512)
	if !ok512 {
		fmt.Fprintf(w, "\nGoal (ring of 512 stages under the paper's %.0f ms): not measured in this run.\n", PaperRingMS[512])
		return
	}
	rounds := "—"
	if r, ok := ringRow(rs, "async", 512); ok {
		rounds = r.Get("rounds")
	}
	fmt.Fprintf(w, "\nGoal (ring of 512 stages under the paper's %.0f ms): one round of our async ring takes %.1f ms (%s rounds timed), so %.0f ms holds %.1f rounds; the paper does not say how many rounds its %.0f ms covers.",
		PaperRingMS[512], a512, rounds, PaperRingMS[512], PaperRingMS[512]/a512, PaperRingMS[512])
	if ok16 && a16 > 0 {
		fmt.Fprintf(w, " Growth from 16 to 512 stages (independent of the rounds): ours %.1f×, the paper %.1f×, its predecessor %.1f×.",
			a512/a16, PaperRingMS[512]/PaperRingMS[16], PaperRingPredecessorMS[512]/PaperRingPredecessorMS[16])
	}
	if s512, ok := RingRoundMS(rs, "sync", 512); ok {
		fmt.Fprintf(w, " At 512 stages sync threads take %.1f ms per round (async/sync %.2f×).", s512, a512/s512)
	}
	fmt.Fprintln(w)
}

func paperMS(m map[int]float64, s int) string {
	if v, ok := m[s]; ok {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return "—"
}
