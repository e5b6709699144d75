package bench

import (
	"strings"
	"testing"
)

// TestRingRecords: uintrring's result lines become records with the
// time per round, and the report states the goal with our time per
// round beside the paper's 573 ms and the growth from 16 to 512 stages.
func TestRingRecords(t *testing.T) {
	out := "uintrring: async 16 stages (1 processes) x 10 rounds: token ok; 160 hops in 8ms; per stage 50000 ns, 50000 instructions\r\n" +
		"noise\nuintrring: async 512 stages (16 processes) x 10 rounds: token ok; 5120 hops in 1s; per stage 200000 ns, 200001 instructions\n" +
		"uintrring: sync 512 stages (16 processes) x 10 rounds: token ok; 5120 hops in 1s; per stage 100000 ns, 100000 instructions\n" +
		"uintrring: FAIL: stage 3: token 9, want 8\n"
	rs, err := convertRing(out)
	if err != nil || len(rs) != 3 {
		t.Fatalf("%d records, %v: %v", len(rs), err, rs)
	}
	if ms, ok := RingRoundMS(rs, "async", 512); !ok || ms != 102.4 {
		t.Errorf("async 512: %v ms per round, %v", ms, ok)
	}
	if r, _ := ringRow(rs, "async", 512); r.Get("stage_instr") != "200001" || r.Get("processes") != "16" {
		t.Errorf("async 512 record %v", r.Values)
	}
	var b strings.Builder
	reportRing(&b, rs)
	for _, want := range []string{"102.4 ms (10 rounds timed)", "holds 5.6 rounds", "ours 128.0×, the paper 13.3×", "async/sync 2.00×", "| 512 | 102.40 (200001) | 51.20 (100000) | — | 573 | 5502 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
