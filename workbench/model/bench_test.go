package model_test

import (
	"testing"

	"copslab/workbench/model"
	"copslab/workbench/model/modeltest"
)

// BenchmarkAdd measures feeding events into the model (ns per event).
func BenchmarkAdd(b *testing.B) {
	evs := modeltest.Gen{Procs: 8, Cos: 16, Harts: 4, Seed: 1}.Events(200_000)
	b.ReportAllocs()
	for b.Loop() {
		m := model.New()
		m.Add(evs...)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(evs)), "ns/event")
}

// BenchmarkAt measures reconstructing the state at an instant (the time
// cursor) in a 1M-event history.
func BenchmarkAt(b *testing.B) {
	m := model.New()
	m.Add(modeltest.Gen{Procs: 8, Cos: 16, Harts: 4, Seed: 1}.Events(1_000_000)...)
	s, e := m.Start(), m.End()
	i := uint64(0)
	b.ResetTimer()
	for b.Loop() {
		i = (i*7919 + 1) % 1000
		m.At(s + (e-s)/1000*i)
	}
}
