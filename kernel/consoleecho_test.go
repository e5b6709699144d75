package kernel_test

import (
	"strings"
	"testing"
	"time"
)

// TestConsoleEchoUnderLoad: the console driver is a kernel coroutine at
// priority 0 in the executor's queues. While three CPU-bound processes
// (priority 4, no system calls) share the hart, a typed key traps out of
// whichever runs, the run loop wakes the driver and the executor runs it
// before placing any process again: the echo follows the byte's arrival
// by well under the 10 ms bound, in guest time (-icount: the latency is
// counted in the guest's own clock, not the host's).
func TestConsoleEchoUnderLoad(t *testing.T) {
	m := bootIcount(t, "runall -first ucat spin spin spin")
	for range 3 {
		expect(t, m, `spin: spinning`)
	}
	m.Write([]byte("typed\r"))
	expect(t, m, `typed\r?\n(\r?\n)?typed`)
	m.Write([]byte("\x04"))
	g := expect(t, m, `console driver: (\d+) runs, arrival to echo at most (\S+) \(guest mtime\)`)
	lat, err := time.ParseDuration(strings.Replace(g[2], "µ", "u", 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s runs of the driver, arrival to echo at most %v (guest)", g[1], lat)
	if lat <= 0 || lat > 10*time.Millisecond {
		t.Fatalf("echo %v after the key arrived, want (0, 10ms]", lat)
	}
	expect(t, m, `run ucat: exited with status 0`)
	for range 3 {
		expect(t, m, `run spin: killed: runall: first ended`)
	}
	wantExit(t, m, 0)
}
