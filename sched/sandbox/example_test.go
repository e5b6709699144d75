package sandbox_test

import (
	"fmt"
	"testing"

	"copslab/sched/sandbox"
)

// Run the built-in "tiny" scenario step by step and follow the reader's
// first async read through its user-interrupt chain: the device completes
// at 8 µs, the kernel's completion work (kernel_ns: 1000) raises the
// interrupt at 9 µs, and after the emulated delivery (delivery_ns: 2000)
// and the handler (handler_ns: 1000) the reader is woken at 12 µs.
func Example() {
	sc, _ := sandbox.Builtin("tiny")
	sim, _ := sandbox.New(sc)
	for !sim.Done() {
		events, _, err := sim.Step()
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, e := range events {
			if e.Arg == 1 && sim.CoName(e.Co) == "reader" {
				fmt.Printf("%s %v→%v %v\n", sandbox.FormatNS(e.Time), e.From, e.To, e.Cause)
			}
		}
	}
	s := sim.Summary()
	fmt.Println("priority", s.Prios[0].Prio, "finished at", sandbox.FormatNS(s.Prios[0].LastFinish))
	// Output:
	// 2.000us Running→Running io-submit
	// 2.000us Running→Blocked block
	// 8.000us Blocked→Blocked io-done
	// 9.000us Blocked→Blocked uintr-send
	// 12.000us Blocked→Ready uintr
	// priority 0 finished at 31.000us
}

// BenchmarkPriorityScenario measures the simulator itself: one op is a
// whole run of the built-in priority experiment (about 4,000 events).
func BenchmarkPriorityScenario(b *testing.B) {
	sc, err := sandbox.Builtin("priority")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sim, _ := sandbox.New(sc)
		if _, err := sim.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
