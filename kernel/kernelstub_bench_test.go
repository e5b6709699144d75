package kernel_test

import (
	"testing"
	"time"

	"copslab/workbench/live"
)

// BenchmarkKernelStubHalts measures the workbench's brief halts (doc.go
// of workbench/live) through the kernel's own stub on sifive_u's second
// UART, beside QEMU's stub on the same image: one op lets the kernel run
// for 2 ms, interrupts it (0x03; the kernel's stub sees it through the
// line's receive interrupt), and drains the trace ring over the line. Metrics:
// halt-ms (interrupt to ring drained: what a halt costs the reader),
// events per halt. Workload: two programs that spin (preempted at every
// tick), so the kernel never idles.
//
//	go test -run '^$' -bench KernelStubHalts -benchtime 100x ./kernel
func BenchmarkKernelStubHalts(b *testing.B) {
	kernel, p := sifiveImage(b)
	for _, stub := range live.Stubs {
		b.Run(stub, func(b *testing.B) {
			k, err := live.Open(live.Options{Kernel: kernel, Board: p, Stub: stub, Append: "runall uspin uspin", Timeout: time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			defer k.Close()
			var halted time.Duration
			var events int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				evs, held, err := k.BriefHalt(2 * time.Millisecond)
				if err != nil {
					b.Fatal(err)
				}
				halted += held
				events += len(evs)
			}
			b.StopTimer()
			b.ReportMetric(float64(halted.Microseconds())/1e3/float64(b.N), "halt-ms")
			b.ReportMetric(float64(events)/float64(b.N), "events/halt")
			b.ReportMetric(float64(k.Ring.Lost), "lost")
		})
	}
}
