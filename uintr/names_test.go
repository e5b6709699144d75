package uintr

import (
	"testing"

	"copslab/boards"
)

// TestBackendNames: the board profiles name the back ends as this
// package does (the Rocket SoC's UINTRBackend is checked against the
// profile in boards/hardware_test.go).
func TestBackendNames(t *testing.T) {
	if boards.UINTRHardware != BackendNExt || boards.UINTREmulated != BackendEmulated {
		t.Fatalf("boards %q/%q; uintr %q/%q", boards.UINTRHardware, boards.UINTREmulated, BackendNExt, BackendEmulated)
	}
}
