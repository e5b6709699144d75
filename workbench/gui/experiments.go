package gui

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/bench"
)

// ExperimentsDir is where the Experiments tab looks for what `make bench`
// (copslab bench) wrote: NAME.csv and PNG plots per experiment.
var ExperimentsDir = filepath.Join("out", "bench")

// experimentsTab shows the experiments' tables and plots from a results
// directory; Reload reads it again (after a `make bench` in a terminal).
type experimentsTab struct {
	dir  string
	body *fyne.Container
	item *container.TabItem
}

func newExperimentsTab(dir string) *experimentsTab {
	t := &experimentsTab{dir: dir, body: container.NewVBox()}
	reload := widget.NewButton("Reload", t.load)
	top := container.NewHBox(reload, widget.NewLabel("results of make bench in "+dir))
	t.item = container.NewTabItem("Experiments", container.NewBorder(top, nil, nil, nil, container.NewVScroll(t.body)))
	t.load()
	return t
}

// load rebuilds the tab: per experiment its CSV as an aligned table and
// every plot whose name starts with the experiment's.
func (t *experimentsTab) load() {
	t.body.RemoveAll()
	csvs, _ := filepath.Glob(filepath.Join(t.dir, "*.csv"))
	sort.Strings(csvs)
	if len(csvs) == 0 {
		t.body.Add(widget.NewLabel("No results in " + t.dir + " yet: run `make bench` (BENCH=short for a quick run) or `copslab bench`."))
		t.body.Refresh()
		return
	}
	pngs, _ := filepath.Glob(filepath.Join(t.dir, "*.png"))
	sort.Strings(pngs)
	var names []string
	for _, c := range csvs {
		names = append(names, strings.TrimSuffix(filepath.Base(c), ".csv"))
	}
	for _, c := range csvs {
		name := strings.TrimSuffix(filepath.Base(c), ".csv")
		title := widget.NewLabel(name)
		title.TextStyle = fyne.TextStyle{Bold: true}
		t.body.Add(title)
		table := widget.NewLabel(csvTable(c, name))
		table.TextStyle = fyne.TextStyle{Monospace: true}
		t.body.Add(table)
		for _, p := range pngs {
			if plotOwner(filepath.Base(p), names) == name {
				img := canvas.NewImageFromFile(p)
				img.FillMode = canvas.ImageFillContain
				img.SetMinSize(fyne.NewSize(560, 360))
				t.body.Add(img)
			}
		}
	}
	t.body.Refresh()
}

// plotOwner is the experiment a plot belongs to: the longest name n
// with the plot called n.png or n-….png (web-prio.png is web-prio's, not
// web's); "" if none.
func plotOwner(png string, names []string) string {
	owner := ""
	for _, n := range names {
		if (png == n+".png" || strings.HasPrefix(png, n+"-")) && len(n) > len(owner) {
			owner = n
		}
	}
	return owner
}

// csvTable renders a results CSV as aligned columns (or the error).
func csvTable(path, name string) string {
	rs, err := bench.ReadCSV(path, name)
	if err != nil {
		return err.Error()
	}
	if len(rs) == 0 {
		return "(no results)"
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(rs[0].Keys, "\t"))
	for _, r := range rs {
		fmt.Fprintln(tw, strings.Join(r.Values, "\t"))
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}
