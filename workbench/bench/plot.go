package bench

import (
	"fmt"
	"image/color"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot draws an experiment's PNGs into dir and returns their paths. An
// experiment without records gets no plot.
func Plot(dir string, res *Result) ([]string, error) {
	if len(res.Records) == 0 {
		return nil, nil
	}
	if res.Exp.Plot != nil {
		return res.Exp.Plot(dir, res.Records)
	}
	switch res.Exp.Name {
	case "web":
		return plotWeb(dir, res.Records)
	case "switch":
		return one(plotBars(dir, "switch", "instructions per switch (-icount)", res.Records, "kind", "instructions"))
	case "prio-uart":
		return one(plotPrio(dir, res.Records))
	}
	return nil, nil
}

func one(path string, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	return []string{path}, nil
}

// Colours: one per server form, the paper's in a darker shade of the same.
var formColour = map[string]color.RGBA{
	"thread":    {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	"goroutine": {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"coroutine": {R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	// coroutine-sync: a lighter green, the same coroutines without async calls.
	"coroutine-sync": {R: 0x98, G: 0xdf, B: 0x8a, A: 0xff},
	// The pipe ring's forms: async coroutines, sync threads, a process
	// per stage; the paper's predecessor design in grey.
	"async":       {R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	"sync":        {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	"proc":        {R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	"predecessor": {R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
}

// series groups records by the value of key group: x and y from xKey and
// yKey, y scaled; sorted by x.
func series(rs []Record, group, xKey, yKey string, scale float64) (map[string]plotter.XYs, []string) {
	m := map[string]plotter.XYs{}
	var names []string
	for _, r := range rs {
		x, ok1 := num(r, xKey)
		y, ok2 := num(r, yKey)
		if !ok1 || !ok2 {
			continue
		}
		g := r.Get(group)
		if _, ok := m[g]; !ok {
			names = append(names, g)
		}
		m[g] = append(m[g], plotter.XY{X: x, Y: y * scale})
	}
	for _, xys := range m {
		sort.Slice(xys, func(i, j int) bool { return xys[i].X < xys[j].X })
	}
	return m, names
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

func save(p *plot.Plot, dir, name string) (string, error) {
	path := filepath.Join(dir, name+".png")
	return path, p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}

// addLines draws one line with points per group; dashed for the second key.
func addLines(p *plot.Plot, m map[string]plotter.XYs, names []string, suffix string, dashed bool) error {
	for _, n := range names {
		l, s, err := plotter.NewLinePoints(m[n])
		if err != nil {
			return err
		}
		c := formColour[n]
		l.Color, s.Color = c, c
		if dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			s.Shape = draw.PyramidGlyph{}
		}
		p.Add(l, s)
		p.Legend.Add(n+suffix, l, s)
	}
	return nil
}

// addPaper draws the paper's points as large crosses per form.
func addPaper(p *plot.Plot, pts []PaperPoint, scale float64, label string) error {
	byForm := map[string]plotter.XYs{}
	var forms []string
	for _, pt := range pts {
		if _, ok := byForm[pt.Form]; !ok {
			forms = append(forms, pt.Form)
		}
		byForm[pt.Form] = append(byForm[pt.Form], plotter.XY{X: float64(pt.Conns), Y: pt.Value * scale})
	}
	for _, f := range forms {
		s, err := plotter.NewScatter(byForm[f])
		if err != nil {
			return err
		}
		s.Shape = draw.CrossGlyph{}
		s.Radius = vg.Points(6)
		s.Color = formColour[f]
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("paper: %s %s", f, label), s)
	}
	return nil
}

func plotWeb(dir string, rs []Record) ([]string, error) {
	lat := newPlot("pipe web server: latency (guest time, -icount)", "connections", "latency (ms)")
	lat.X.Scale, lat.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	lat.Y.Scale, lat.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	mean, names := series(rs, "form", "conns", "mean_ns", 1e-6)
	p99, _ := series(rs, "form", "conns", "p99_ns", 1e-6)
	if err := addLines(lat, mean, names, " mean", false); err != nil {
		return nil, err
	}
	if err := addLines(lat, p99, names, " p99", true); err != nil {
		return nil, err
	}
	if err := addPaper(lat, PaperWebMeanLatencyMS, 1, "mean (QEMU, 4 harts)"); err != nil {
		return nil, err
	}
	lat.X.Max = max(lat.X.Max, 200) // the paper's 128-connection points off the edge
	lat.Legend.Top = true
	a, err := save(lat, dir, "web-latency")
	if err != nil {
		return nil, err
	}
	thr := newPlot("pipe web server: throughput (guest time, -icount)", "connections", "requests per second")
	thr.X.Scale, thr.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	rps, names := series(rs, "form", "conns", "req_per_s", 1)
	if err := addLines(thr, rps, names, "", false); err != nil {
		return nil, err
	}
	if err := addPaper(thr, PaperWebRequests5s, 1.0/5, "(requests in 5 s / 5)"); err != nil {
		return nil, err
	}
	thr.X.Max = max(thr.X.Max, 200)
	thr.Y.Min = 0
	thr.Legend.Top = false
	b, err := save(thr, dir, "web-requests")
	if err != nil {
		return nil, err
	}
	mem := newPlot("pipe web server: server memory (Go runtime's Sys, mid-window)", "connections", "KiB")
	mem.X.Scale, mem.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	sys, names := series(rs, "form", "conns", "sys_kib", 1)
	if err := addLines(mem, sys, names, "", false); err != nil {
		return nil, err
	}
	c, err := save(mem, dir, "web-memory")
	if err != nil {
		return nil, err
	}
	return []string{a, b, c}, nil
}

// plotBars draws one bar per record: label from key, height from val.
func plotBars(dir, name, ylabel string, rs []Record, key, val string) (string, error) {
	p := newPlot(name, "", ylabel)
	var vs plotter.Values
	var labels []string
	for _, r := range rs {
		v, ok := num(r, val)
		if !ok {
			continue
		}
		vs = append(vs, v)
		labels = append(labels, r.Get(key))
	}
	bars, err := plotter.NewBarChart(vs, vg.Points(30))
	if err != nil {
		return "", err
	}
	bars.Color = formColour["goroutine"]
	p.Add(bars)
	p.NominalX(labels...)
	return save(p, dir, name)
}

func plotPrio(dir string, rs []Record) (string, error) {
	p := newPlot("priority experiment on the serial port: latency per priority", "priority (0 best)", "latency to the first line (µs)")
	lat, _ := series(rs, "exp", "prio", "latency_ns", 1e-3)
	if err := addLines(p, map[string]plotter.XYs{"coroutine": lat[""]}, []string{"coroutine"}, " (ours, guest time)", false); err != nil {
		return "", err
	}
	return save(p, dir, "prio-uart")
}
