package proc

import "testing"

// BenchmarkCOPSDecision: the cost on the host of one decision of the
// executor-driven seam with one process of one thread (the path a
// system call of a lone thread takes) and with two processes taking
// turns.
func BenchmarkCOPSDecision(b *testing.B) {
	for _, n := range []int{1, 2} {
		b.Run(map[int]string{1: "one", 2: "two"}[n], func(b *testing.B) {
			table, _, start := copsEnv(b)
			for i := 0; i < n; i++ {
				start("p")
			}
			s := table.Sched()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d := s.Next(int64(i))
				if d.Thread == nil {
					b.Fatal("nothing")
				}
				s.why = 1 // as a tick
			}
		})
	}
}
