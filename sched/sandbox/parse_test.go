package sandbox

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"processes: []\nbogus: 1\n", "line 2: unknown field \"bogus\" in scenario"},
		{"harts: 9\n", "line 1: expected an integer in 1..8"},
		{"processes:\n  - name: p\n    mode: fibers\n    coroutines: [{name: c, work: [compute: 1]}]\n", "line 2: process \"p\": mode must be"},
		{"processes:\n  - name: p\n    coroutines:\n      - {name: c, prio: 8, work: [compute: 1]}\n", "line 4: expected an integer in 0..7, got \"8\""},
		{"processes:\n  - name: p\n    coroutines:\n      - name: c\n        work:\n          - jump: 3\n", "line 6: unknown work step \"jump\""},
		{"processes:\n  - name: p\n    coroutines:\n      - name: c\n        work:\n          - compute: -1\n", "line 6: expected an integer"},
		{"processes:\n  - name: p\n    coroutines:\n      - {name: c, work: []}\n", "line 4: coroutine \"c\" has no work"},
		{"processes:\n  - name: p\n    hart: 1\n    coroutines: [{name: c, work: [compute: 1]}]\n", "line 2: process \"p\" pinned to hart 1"},
		{"name: x\n", "no processes"},
		{"processes:\n  - name: p\n    coroutines:\n      - name: c\n        work:\n          - spawn: {name: d, start: 3, work: [compute: 1]}\n", "line 6: unknown field \"start\" in coroutine"},
		{"processes: [\n", "yaml"},
		{"", "empty scenario"},
		{"processes:\n  - name: p\n    mode: threads\n    coroutines: [{name: c, count: 70, work: [compute: 1]}]\n", "process/thread slots"},
	}
	for _, tc := range cases {
		_, err := ParseScenario([]byte(tc.yaml), "t")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

func TestParseSteps(t *testing.T) {
	sc, err := ParseScenario([]byte(`
processes:
  - name: p
    coroutines:
      - name: c
        start: 4
        repeat: 3
        work:
          - compute: 2
          - read: 5
          - write: 6
          - sleep: 7
          - yield
          - spawn: {name: d, prio: 1, count: 2, work: [compute: 1]}
`), "steps")
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Procs[0].Cos[0]
	ops := []Op{OpCompute, OpIO, OpIO, OpSleep, OpYield, OpSpawn}
	if c.Start != 4 || c.Repeat != 3 || len(c.Work) != len(ops) {
		t.Fatalf("%+v", c)
	}
	for i, op := range ops {
		if c.Work[i].Op != op {
			t.Errorf("step %d is %v, want %v", i, c.Work[i].Op, op)
		}
	}
	if d := c.Work[5].Spawn; d == nil || d.Prio != 1 || d.Count != 2 {
		t.Fatalf("spawn %+v", d)
	}
	sim, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	if s := sim.Summary(); len(s.Cos) != 7 || s.Cos[0].Requests != 3 {
		t.Fatalf("want c and 6 spawned copies of d, c with 3 requests: %+v", s.Cos)
	}
}

// FuzzParseScenario: any input parses or fails with an error; a parsed one
// also runs (capped at a few thousand ticks) without panicking.
func FuzzParseScenario(f *testing.F) {
	for _, n := range BuiltinNames() {
		data, _ := Scenarios.ReadFile("scenarios/" + n + ".yaml")
		f.Add(data)
	}
	f.Add([]byte(threadsYAML))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data, "fuzz")
		if err != nil {
			return
		}
		sc.MaxTicks, sc.Until = 3000, 0
		sim, err := New(sc)
		if err != nil {
			return
		}
		sim.Run()
		sim.Summary()
	})
}
