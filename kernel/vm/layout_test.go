package vm

import (
	"strings"
	"testing"
)

// TestWalk: a walk finds every table and leaf that Map made, and refuses
// a pointer entry at level 0.
func TestWalk(t *testing.T) {
	pt, a, mem := setup(t, 64)
	pa, _ := a.Alloc()
	if err := pt.Map(0x10000, pa, 3*PageSize, R|W|U); err != nil {
		t.Fatal(err)
	}
	if err := pt.Map(0x40000000, pa, PageSize, R|U); err != nil {
		t.Fatal(err)
	}
	l, err := pt.Walk()
	if err != nil {
		t.Fatal(err)
	}
	// root, one level-1 table per GiB, one level-0 table per 2 MiB region
	if len(l.Tables) != 5 || len(l.Leaves) != 4 || l.Leaves[0x11000] != pa+PageSize || l.Leaves[0x40000000] != pa {
		t.Fatalf("walk found %d tables and leaves %v", len(l.Tables), l.Leaves)
	}
	slot := pt.slot(0x10000)
	mem.Store(slot, tablePTE(pt.root)) // a level-0 entry pointing at a table
	if _, err := pt.Walk(); err == nil || !strings.Contains(err.Error(), "level 0") {
		t.Errorf("walk of a corrupt table: %v", err)
	}
}
