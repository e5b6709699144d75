package gui

import "testing"

// TestPlotOwner: a plot goes to the experiment with the longest matching
// name, so web-prio's plots are not shown under web.
func TestPlotOwner(t *testing.T) {
	names := []string{"switch", "web", "web-max", "web-prio"}
	for png, want := range map[string]string{
		"web-latency.png": "web", "web-prio.png": "web-prio", "web-prio-relative.png": "web-prio",
		"web-max.png": "web-max", "switch.png": "switch", "other.png": "",
	} {
		if got := plotOwner(png, names); got != want {
			t.Errorf("plotOwner(%s) = %q, want %q", png, got, want)
		}
	}
}
