package gdbtest

import (
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	"copslab/boards"
	"copslab/boards/qemu"
)

// bannerRE matches the kernel's boot banner (the first line it prints).
var bannerRE = regexp.MustCompile(`copslab kernel`)

// BenchmarkBoot boots the kernel with the board profile's command line
// and measures QEMU start → boot banner on the console, then kills QEMU.
// It reports the mean and the fastest boot, and the kernel image size.
//
//	go test -run '^$' -bench Boot -benchtime 20x ./kernel/gdbtest
func BenchmarkBoot(b *testing.B) {
	p := profile(b)
	needTools(b, p, false)
	kernel := buildKernel(b)
	st, err := os.Stat(kernel)
	if err != nil {
		b.Fatal(err)
	}
	args := p.QEMUArgs(kernel, boards.RunOptions{})
	var total, fastest time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		m, err := qemu.Start(context.Background(), p.QEMU.Binary, args)
		if err != nil {
			b.Fatal(err)
		}
		_, err = m.Expect(bannerRE, 30*time.Second)
		d := time.Since(start)
		total += d
		if fastest == 0 || d < fastest {
			fastest = d
		}
		m.Kill()
		if err != nil {
			b.Fatal(err)
		}
	}
	// The mean suffers from other processes on the machine; the fastest
	// boot is the better estimate of the boot path's own cost.
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/boot")
	b.ReportMetric(float64(fastest.Microseconds())/1000, "min-ms/boot")
	b.ReportMetric(float64(st.Size()), "image-bytes")
}
