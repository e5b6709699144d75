package bench

import (
	"strconv"
	"testing"
)

// TestModelCoroutineForm: with a coroutine switch measured, the model
// predicts the coroutine form too, with its server in coroutines mode:
// its hand-overs cost far less than a thread switch, so at several
// connections it must serve more than the thread model does.
func TestModelCoroutineForm(t *testing.T) {
	sw := []Record{
		rec("switch", "kind", "thread", "instructions", "17000"),
		rec("switch", "kind", "coroutine-pull", "instructions", "200"),
	}
	web := []Record{
		rec("web", "form", "thread", "conns", "1", "window_ms", "50", "req_per_s", "18000", "mean_ns", "55000"),
		rec("web", "form", "thread", "conns", "8", "window_ms", "50", "req_per_s", "23000", "mean_ns", "340000"),
		rec("web", "form", "coroutine", "conns", "8", "window_ms", "50", "req_per_s", "15000", "mean_ns", "520000"),
		rec("web", "form", "coroutine", "conns", "128", "window_ms", "50", "req_per_s", "16000", "mean_ns", "8000000"),
	}
	c, err := Calibrate(sw, web)
	if err != nil {
		t.Fatal(err)
	}
	if c.CoSwitchNS != 200 {
		t.Fatalf("coroutine switch %d", c.CoSwitchNS)
	}
	ps, err := PredictWeb(c, web)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Prediction{}
	for _, p := range ps {
		got[p.Form+"/"+strconv.Itoa(p.Conns)] = p
	}
	if len(ps) != 3 {
		t.Errorf("%d predictions (want thread 1, 8 and coroutine 8; 128 is past the model): %+v", len(ps), ps)
	}
	th, co := got["thread/8"], got["coroutine/8"]
	t.Logf("8 conns: thread model %.0f req/s, coroutine model %.0f req/s", th.ReqPerS, co.ReqPerS)
	if co.ReqPerS <= th.ReqPerS || co.KReqPerS != 15000 {
		t.Errorf("coroutine model %+v, thread model %+v", co, th)
	}
}
