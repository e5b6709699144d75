package kernel_test

import "testing"

// TestStress runs the stress mode (kernel/kmain/stress.go): rounds that
// scavenge the heap, then churn pointer-linked lists while call-free
// loops are preempted asynchronously at a 1000 Hz tick. It is the fast
// reproducer of "found pointer to free object": before the mem_linux.go
// edit in kernel/build/edits.go (scavenged pages were reused without
// being cleared) "stress 20" crashed in 3 of 3 boots (also with
// asynchronous preemption disabled), "stress 10" in 2 of 3.
func TestStress(t *testing.T) {
	m := bootProfile(t, "stress 20")
	s := expect(t, m, `stress: PASS: 20 rounds at 1000 Hz in \S+: (\d+) async preemptions, (\d+) GCs`)
	if atoi(t, s[1]) == 0 {
		t.Errorf("no asynchronous preemption during the stress run: %q", s[0])
	}
	if atoi(t, s[2]) < 40 {
		t.Errorf("fewer than 2 collections per round: %q", s[0])
	}
	wantExit(t, m, 0)
}

// TestStressBadArgs: malformed round counts and tick rates are errors.
func TestStressBadArgs(t *testing.T) {
	for _, args := range []struct{ append, want string }{
		{"stress x", `stress: bad round count "x"`},
		{"stress 0", `stress: bad round count "0"`},
		{"stress 1 5", `stress: bad tick rate "5" \(want 10\.\.10000\)`},
	} {
		t.Run(args.append, func(t *testing.T) {
			m := bootProfile(t, args.append)
			expect(t, m, args.want)
			wantExit(t, m, 1)
		})
	}
}
