package sched

import "testing"

func TestPrioOfNice(t *testing.T) {
	want := map[int]uint8{-100: 0, -20: 0, -16: 0, -15: 1, -1: 3, 0: 4, 4: 4, 5: 5, 14: 6, 15: 7, 19: 7, 100: 7}
	for n, p := range want {
		if got := PrioOfNice(n); got != p {
			t.Errorf("PrioOfNice(%d) = %d, want %d", n, got, p)
		}
	}
	for n := -20; n < 19; n++ {
		if PrioOfNice(n) > PrioOfNice(n+1) || PrioOfNice(n) >= NumPrio {
			t.Fatalf("not monotonic or out of range at nice %d", n)
		}
	}
}
