package target_test

import (
	"testing"
	"time"

	"copslab/workbench/internal/testkernel"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// BenchmarkKernelStreamLoss streams whole kernel runs through the qemu
// target as the window does (Stream in 30 ms wall slices) and reports the
// events lost (goal 0) and the events carried per second. Workload:
// pipeping with 2000 round trips — two processes over a pair of pipes,
// the kernel's closest relative of the pipe web server experiment.
//
//	go test -run '^$' -bench KernelStreamLoss -benchtime 3x ./workbench/target
func BenchmarkKernelStreamLoss(b *testing.B) {
	testkernel.Board(b)
	kernel := testkernel.Build(b)
	var events, lost uint64
	var wall time.Duration
	for i := 0; i < b.N; i++ {
		tg, err := target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{
			Kernel: kernel, Board: testkernel.BoardPath(), Append: "run pipeping -n 2000"}})
		if err != nil {
			b.Fatal(err)
		}
		d := session.New(tg)
		start := time.Now()
		var next uint64
		for !tg.Done() {
			bt, err := d.Stream(30*time.Millisecond, ^uint64(0))
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range bt.Events {
				lost += e.Seq - next
				next = e.Seq + 1
			}
			events += uint64(len(bt.Events))
		}
		wall += time.Since(start)
		tg.Close()
	}
	b.ReportMetric(float64(lost)/float64(b.N), "lost/run")
	b.ReportMetric(float64(events)/float64(b.N), "events/run")
	b.ReportMetric(float64(events)/wall.Seconds(), "events/s")
}
