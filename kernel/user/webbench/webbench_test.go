package main

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The program on the host (Linux; package cops runs its own copy of the
// scheduler there): every form serves a short run and prints a
// well-formed BENCH line, the priority forms one web-prio line per
// priority whose requests add up to the total, and bad flags fail with
// a message. Nothing is timed (the windows are host time; the slack is
// generous for a busy machine).

func buildWebbench(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "webbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fields parses a BENCH line's key=value pairs.
func fields(line string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(line)[2:] {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	return m
}

func TestForms(t *testing.T) {
	bin := buildWebbench(t)
	for _, tc := range []struct {
		form  string
		prios int
	}{{"thread", 1}, {"goroutine", 1}, {"coroutine-sync", 1}, {"coroutine-sync-idle", 1}, {"coroutine-sync", 8}, {"thread", 4}} {
		args := []string{"-form", tc.form, "-conns", "16", "-ms", "100", "-slack", "2m", "-prios", strconv.Itoa(tc.prios)}
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil && tc.form == "thread" && tc.prios > 1 && strings.Contains(string(out), "not permitted") {
			t.Logf("%v: negative nice values need privilege here: %s", args, out)
			continue
		}
		if err != nil {
			t.Fatalf("webbench %v: %v\n%s", args, err, out)
		}
		var web map[string]string
		perPrio := map[string]int{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			switch {
			case strings.HasPrefix(l, "BENCH web "):
				web = fields(l)
			case strings.HasPrefix(l, "BENCH web-prio "):
				f := fields(l)
				n, err := strconv.Atoi(f["requests"])
				if err != nil || f["form"] != tc.form {
					t.Errorf("%v: line %q", args, l)
				}
				perPrio[f["prio"]] = n
			default:
				t.Errorf("%v: unexpected output %q", args, l)
			}
		}
		n, err := strconv.Atoi(web["requests"])
		if web == nil || err != nil || n < 1 || web["form"] != tc.form || web["conns"] != "16" {
			t.Fatalf("%v: BENCH web line %v", args, web)
		}
		if tc.prios > 1 {
			sum := 0
			for _, k := range perPrio {
				sum += k
			}
			if len(perPrio) != tc.prios || sum != n {
				t.Errorf("%v: per-priority requests %v add up to %d of %d", args, perPrio, sum, n)
			}
		}
		if strings.HasPrefix(tc.form, "coroutine-sync") {
			if p, _ := strconv.Atoi(web["probes"]); p < n {
				t.Errorf("%v: %d probes for %d requests (each request is found by a probe)", args, p, n)
			}
		}
	}
	// The async coroutine form needs the copslab kernel (the guest runs
	// it: workbench/bench's TestShortMode); here it says so and fails.
	for _, bad := range [][]string{{"-form", "goroutine", "-prios", "8"}, {"-form", "nope"}, {"-prios", "9"}, {"-form", "coroutine", "-conns", "2", "-ms", "10"}} {
		out, err := exec.Command(bin, bad...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "webbench: FAIL") {
			t.Errorf("webbench %v: %v\n%s", bad, err, out)
		}
	}
}

// TestLatencyReport: the clients' report format round-trips and
// rejects cut or padded reports.
func TestLatencyReport(t *testing.T) {
	in := [][]int64{{1, 2, 3}, {}, {40}}
	b := encodeLatencies(in)
	out, err := decodeLatencies(b)
	if err != nil || len(out) != 3 || len(out[0]) != 3 || out[0][2] != 3 || len(out[1]) != 0 || out[2][0] != 40 {
		t.Fatalf("round trip: %v %v", out, err)
	}
	if _, err := decodeLatencies(b[:len(b)-1]); err == nil {
		t.Error("a cut report decoded")
	}
	if _, err := decodeLatencies(append(b, 0, 0, 0, 0, 0, 0, 0, 0)); err == nil {
		t.Error("a padded report decoded")
	}
}
