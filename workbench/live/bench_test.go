package live

import (
	"testing"
	"time"
)

// BenchmarkStreamHalts measures streaming by brief halts on the real
// kernel: one op lets the kernel run for 2 ms, then halts it and drains
// the ring. Metrics: halt-µs (interrupt, stop reply, ring read, tail
// write back: the time the guest is stopped for the reader), events per
// halt, and events/s of guest activity carried. Workload: pipeping, two
// processes bouncing lines over pipes (rebooted when it ends).
//
//	go test -run '^$' -bench StreamHalts -benchtime 200x ./workbench/live
func BenchmarkStreamHalts(b *testing.B) {
	kernel, p := testKernel(b)
	open := func() *Kernel {
		k, err := Open(Options{Kernel: kernel, Board: p, Append: "run pipeping -n 100000", Timeout: time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		return k
	}
	k := open()
	defer func() { k.Close() }()
	var halted time.Duration
	var events, lost uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ended, _, _ := k.Ended(); ended {
			b.StopTimer()
			lost += k.Ring.Lost
			k.Close()
			k = open()
			b.StartTimer()
		}
		evs, held, err := k.BriefHalt(2 * time.Millisecond)
		if err != nil {
			b.Fatal(err)
		}
		halted += held
		events += uint64(len(evs))
	}
	b.StopTimer()
	lost += k.Ring.Lost
	b.ReportMetric(float64(halted.Microseconds())/float64(b.N), "halt-µs")
	b.ReportMetric(float64(events)/float64(b.N), "events/halt")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(lost), "lost")
}
