package kernel_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// BenchmarkDecision measures, with QEMU's -icount (one instruction per
// virtual clock tick, so the counts do not depend on the host), the
// instructions per thread switch of "blockedN": two threads ping-pong
// with sched_yield beside N threads blocked on pipes, futexes and
// sleep. Each switch is a trap plus one full scheduling decision; the
// scheduling seam touches only ready work, so the cost is flat in N.
//
//	go test ./kernel -run XXX -bench Decision -benchtime 1x
func BenchmarkDecision(b *testing.B) {
	kernel := kernelImage(b)
	re := regexp.MustCompile(`blocked(\d+): \d+ sched_yield rounds .* beside \d+ blocked threads: \d+ cycles, (\d+) instructions per switch`)
	perSwitch := map[int]float64{}
	for _, n := range []int{1, 64, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m := boot(b, "-machine", "virt", "-m", "512M", "-nographic", "-bios", "none", "-icount", "shift=0",
					"-kernel", kernel, "-append", fmt.Sprintf("run blocked%d", n))
				s, err := m.Expect(re, 2*time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				instr, _ := strconv.Atoi(re.FindStringSubmatch(s)[2])
				perSwitch[n] = float64(instr)
				b.ReportMetric(float64(instr), "instr/switch")
				m.Kill()
			}
		})
	}
	if lo, hi := perSwitch[1], perSwitch[1000]; lo > 0 && hi > 0 {
		b.Logf("1 → 1000 blocked threads: %.0f → %.0f instructions per switch (%+.1f%%)", lo, hi, 100*(hi-lo)/lo)
	}
}
