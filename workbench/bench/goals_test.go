package bench

import (
	"math"
	"strings"
	"testing"
)

func rec(exp string, kv ...string) Record {
	r := Record{Exp: exp}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Keys = append(r.Keys, kv[i])
		r.Values = append(r.Values, kv[i+1])
	}
	return r
}

// TestGoalRatios: the goal ratios, the priority ratio and the capacity
// figures come from the right records.
func TestGoalRatios(t *testing.T) {
	web := []Record{
		rec("web", "form", "thread", "conns", "128", "req_per_s", "1000", "mean_ns", "9000000"),
		rec("web", "form", "coroutine", "conns", "128", "req_per_s", "4000", "mean_ns", "3000000"),
		rec("web", "form", "coroutine", "conns", "64", "req_per_s", "99999", "mean_ns", "1"),
	}
	g, ok := WebGoals(web)
	if !ok || g.Throughput != 4 || g.Latency != 3 {
		t.Errorf("goals %+v %v, want 4× and 3×", g, ok)
	}
	if _, ok := WebGoals(web[1:]); ok {
		t.Error("goals without a thread point at 128")
	}
	var md strings.Builder
	reportWeb(&md, web)
	if !strings.Contains(md.String(), "throughput coroutine/thread 4.00×") {
		t.Errorf("report:\n%s", md.String())
	}

	prio := []Record{
		rec("web-prio", "form", "coroutine", "prio", "0", "requests", "10", "mean_ns", "2000"),
		rec("web-prio", "form", "coroutine", "prio", "7", "requests", "3", "mean_ns", "13000"),
		rec("web-prio", "form", "thread", "prio", "0", "requests", "10", "mean_ns", "2000"),
		rec("web-prio", "form", "thread", "prio", "7", "requests", "0", "mean_ns", "0"),
	}
	if x, ok := PrioRatio(prio, "coroutine"); !ok || x != 6.5 {
		t.Errorf("coroutine priority ratio %v %v, want 6.5", x, ok)
	}
	if _, ok := PrioRatio(prio, "thread"); ok {
		t.Error("a ratio from a priority that served no request")
	}

	caps := capacities([]Record{
		rec("web-max", "form", "thread", "conns", "64", "sys_kib", "1000", "frames_kib", "6400"),
		rec("web-max", "form", "thread", "conns", "192", "sys_kib", "2280", "frames_kib", "19200"),
	})
	if c := caps["thread"]; c.most != 192 || math.Abs(c.perConnKiB-100) > 1e-9 {
		t.Errorf("capacity %+v, want most 192 and 100 KiB per connection", c)
	}
}
