package target_test

import (
	"regexp"
	"testing"
	"time"

	"copslab/workbench/internal/testkernel"
	"copslab/workbench/live"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// BenchmarkKernelStreamLoss streams whole kernel runs through the qemu
// target as the window does (Stream in 30 ms wall slices) and reports the
// events lost (goal 0) and the events carried per second. Workload:
// pipeping with 2000 round trips — two processes over a pair of pipes.
//
//	go test -run '^$' -bench KernelStreamLoss -benchtime 3x ./workbench/target
func BenchmarkKernelStreamLoss(b *testing.B) {
	benchStreamLoss(b, "run pipeping -n 2000", window, nil)
}

// Two ways of streaming: as the window does while it runs (Stream in 30
// ms wall slices), and as Run until and copslab record do (Stream for a
// second at a time: the target chooses every slice).
var (
	window = 30 * time.Millisecond
	record = time.Second
)

// BenchmarkKernelStreamLossWebbench is the same while the pipe web server
// experiment runs (kernel/user/webbench, as `copslab bench` runs it but
// without -icount: the guest runs at full speed between halts, and its
// clock runs on while a busy host keeps QEMU waiting, so the server's
// watchdog gets a minute, not 3 s), in its thread and goroutine forms;
// each run must end with webbench's BENCH line, so the server really
// served its window.
//
//	go test -run '^$' -bench KernelStreamLossWebbench -benchtime 3x ./workbench/target
func BenchmarkKernelStreamLossWebbench(b *testing.B) {
	done := regexp.MustCompile(`BENCH web form=\w+ conns=\d+ .*requests=[1-9]`)
	for _, form := range []string{"thread", "goroutine"} {
		for _, conns := range []string{"8", "64"} {
			for _, mode := range []struct {
				name string
				wall time.Duration
			}{{"window", window}, {"record", record}} {
				b.Run(form+"/conns="+conns+"/"+mode.name, func(b *testing.B) {
					benchStreamLoss(b, "run webbench -form "+form+" -conns "+conns+" -ms 300 -slack 60s", mode.wall, done)
				})
			}
		}
	}
}

// benchStreamLoss boots the kernel with append b.N times, streams each
// run to its power-off in Stream calls of wall, and reports events lost
// per run (sequence gaps), events per run, events carried per second and
// the most events one read of the ring found (it holds ktrace.Size: near
// that, events are about to be lost). With want set, the kernel console
// must match it by the end.
func benchStreamLoss(b *testing.B, append string, wall time.Duration, want *regexp.Regexp) {
	testkernel.Board(b)
	kernel := testkernel.Build(b)
	var events, lost uint64
	var took time.Duration
	peak := 0
	for i := 0; i < b.N; i++ {
		tg, err := target.Open(target.Options{Kind: "qemu", QEMU: target.QEMUOptions{
			Kernel: kernel, Board: testkernel.BoardPath(), Append: append}})
		if err != nil {
			b.Fatal(err)
		}
		d := session.New(tg)
		start := time.Now()
		var next uint64
		for !tg.Done() {
			bt, err := d.Stream(wall, ^uint64(0))
			if err != nil {
				tg.Close()
				b.Fatal(err)
			}
			for _, e := range bt.Events {
				lost += e.Seq - next
				next = e.Seq + 1
			}
			events += uint64(len(bt.Events))
		}
		took += time.Since(start)
		peak = max(peak, tg.(interface{ Kernel() *live.Kernel }).Kernel().Ring.Peak)
		if want != nil {
			console := tg.(interface{ Kernel() *live.Kernel }).Kernel().Console()
			if !want.MatchString(console) {
				tg.Close()
				b.Fatalf("the run did not end as expected (/%s/); console:\n%s", want, console)
			}
		}
		tg.Close()
	}
	b.ReportMetric(float64(lost)/float64(b.N), "lost/run")
	b.ReportMetric(float64(events)/float64(b.N), "events/run")
	b.ReportMetric(float64(events)/took.Seconds(), "events/s")
	b.ReportMetric(float64(peak), "peak-read")
}
