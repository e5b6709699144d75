package bench

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestShortMode runs every experiment in the short mode on the kernel in
// QEMU and checks what it wrote is well formed: each experiment has
// results and no failed boot, its CSV reads back with the columns the
// plots and the report use and numbers in them, each PNG decodes, and
// the report names every experiment. Nothing here is timed: the guest
// runs under -icount, the waits are safety nets.
func TestShortMode(t *testing.T) {
	if _, err := exec.LookPath("qemu-system-riscv64"); err != nil {
		t.Skipf("qemu-system-riscv64 not installed (scripts/prereqs.sh installs it): %v", err)
	}
	dir := t.TempDir()
	results, err := Run(context.Background(), Options{Mode: Short, Out: dir, Progress: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(Experiments) {
		t.Fatalf("%d results for %d experiments", len(results), len(Experiments))
	}
	want := map[string][]string{
		"switch":    {"kind", "instructions"},
		"web":       {"form", "conns", "requests", "req_per_s", "mean_ns", "p99_ns", "sys_kib"},
		"prio-uart": {"prio", "latency_ns"},
		"web-prio":  {"form", "prio", "requests", "mean_ns"},
		"web-max":   {"form", "conns", "frames_kib", "sys_kib"},
		"ring":      {"form", "stages", "processes", "rounds", "stage_ns", "stage_instr", "round_ns"},
	}
	for _, res := range results {
		name := res.Exp.Name
		if len(res.Failed) > 0 {
			t.Errorf("%s: failed boots: %v", name, res.Failed)
		}
		rs, err := ReadCSV(res.CSV, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 0 {
			t.Errorf("%s: empty CSV", name)
		}
		for _, r := range rs {
			for _, k := range want[name] {
				v := r.Get(k)
				if _, isNum := num(r, k); v == "" || (k != "kind" && k != "form" && !isNum) {
					t.Errorf("%s: row %v: column %s is %q", name, r.Values, k, v)
				}
			}
		}
		if len(res.PNGs) == 0 {
			t.Errorf("%s: no plot", name)
		}
		for _, p := range res.PNGs {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", p, err)
			} else if img.Bounds().Dx() < 100 {
				t.Errorf("%s: %v", p, img.Bounds())
			}
		}
	}
	// Every form at every short point, with requests served.
	web := results[1]
	for _, f := range WebForms {
		for _, c := range WebConns(Short) {
			r, ok := find(web.Records, f, c)
			if n, _ := num(r, "requests"); !ok || n < 1 {
				t.Errorf("web %s at %d connections: %v", f, c, r.Values)
			}
		}
	}
	// Every priority of every form of the priority experiment, and each
	// form's capacity point with the kernel's free memory read.
	for _, res := range results {
		switch res.Exp.Name {
		case "web-prio":
			for _, f := range PrioForms {
				for p := range PrioLevels {
					if _, ok := prioRow(res.Records, f, p); !ok {
						t.Errorf("web-prio: no row for %s priority %d", f, p)
					}
				}
			}
		case "ring":
			for _, f := range RingForms {
				for _, st := range RingStages(Short, f) {
					r, ok := ringRow(res.Records, f, st)
					if ns, _ := num(r, "round_ns"); !ok || ns <= 0 || r.Get("rounds") != strconv.Itoa(RingRounds(Short)) {
						t.Errorf("ring %s at %d stages: %v", f, st, r.Values)
					}
				}
			}
		case "web-max":
			for _, f := range WebForms {
				for _, c := range CapacityConns(Short) {
					r, ok := find(res.Records, f, c)
					if k, _ := num(r, "frames_kib"); !ok || k <= 0 {
						t.Errorf("web-max %s at %d connections: %v", f, c, r.Values)
					}
				}
			}
		}
	}
	var md strings.Builder
	Report(&md, Short, results)
	for _, e := range Experiments {
		if !strings.Contains(md.String(), "## "+e.Name) {
			t.Errorf("the report has no section %s", e.Name)
		}
	}
	t.Logf("\n%s", md.String())
}
