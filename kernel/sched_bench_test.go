package kernel_test

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
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

// BenchmarkExecutorDecision measures, with -icount, one decision of the
// kernel's executor among 1, 2 and 63 ready processes: N copies of pyield
// each call sched_yield 1000 times, and every call hands the hart to the
// next process in turn — a trap, a full decision (every ready process's
// Local collected and sampled, the scheduler coroutine's placement
// events) and a process switch. A pyield counts the instructions between
// its own calls, i.e. one round of N decisions: the median over the
// processes, divided by N, is reported. With one process the decision
// is skipped (it would change nothing): the cost is the trap's.
//
//	go test ./kernel -run XXX -bench ExecutorDecision -benchtime 1x
func BenchmarkExecutorDecision(b *testing.B) {
	kernel := kernelImage(b)
	re := regexp.MustCompile(`pyield \(pid \d+\): 1000 sched_yield calls: \d+ cycles, (\d+) instructions each`)
	for _, n := range []int{1, 2, 63} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m := boot(b, "-machine", "virt", "-m", "512M", "-nographic", "-bios", "none", "-icount", "shift=0",
					"-kernel", kernel, "-append", "runall"+strings.Repeat(" pyield", n))
				var got []int
				for len(got) < n {
					s, err := m.Expect(re, 5*time.Minute)
					if err != nil {
						b.Fatal(err)
					}
					v, _ := strconv.Atoi(re.FindStringSubmatch(s)[1])
					got = append(got, v)
				}
				m.Kill()
				sort.Ints(got)
				b.ReportMetric(float64(got[n/2])/float64(n), "instr/decision")
			}
		})
	}
}
