package proc

import (
	"fmt"

	"copslab/kernel/vm"
)

// Check walks the page table and verifies that it maps exactly the
// pages the space records, each to its own frame, that no frame is both
// a table and a page, and that every frame lies in [lo, hi) (the frame
// pool). Shared pages (MapShared) must map the frame and permission
// recorded for them, may lie anywhere outside the space's own frames and
// tables, and are never writable and executable at once. The kernel runs it when a process ends; a failure means user
// code could reach memory it does not own.
func (s *Space) Check(lo, hi uint64) error {
	l, err := s.PT.Walk()
	if err != nil {
		return fmt.Errorf("proc: %w", err)
	}
	tables, leaves := l.Tables, l.Leaves
	for table := range tables {
		if table < lo || table >= hi {
			return fmt.Errorf("proc: table frame %#x outside the pool", table)
		}
	}
	if len(leaves) != len(s.pages)+len(s.shared) {
		return fmt.Errorf("proc: %d leaves in the table, %d pages and %d shared pages recorded", len(leaves), len(s.pages), len(s.shared))
	}
	owned := map[uint64]bool{}
	for _, pa := range s.pages {
		owned[pa] = true
	}
	seen := map[uint64]bool{}
	for va, pa := range leaves {
		if sp, ok := s.shared[va]; ok {
			_, perm, _ := s.PT.Translate(va)
			if sp.pa != pa || perm&(vm.R|vm.W|vm.X) != sp.perm || perm&vm.U == 0 || tables[pa] || owned[pa] || sp.perm&(vm.W|vm.X) == vm.W|vm.X {
				return fmt.Errorf("proc: shared page %#x → frame %#x %v (recorded %#x %v, table %v, owned %v)", va, pa, perm, sp.pa, sp.perm, tables[pa], owned[pa])
			}
			continue
		}
		if s.pages[va] != pa || tables[pa] || seen[pa] || pa < lo || pa >= hi {
			return fmt.Errorf("proc: page %#x → frame %#x (recorded %#x, table %v, twice %v)", va, pa, s.pages[va], tables[pa], seen[pa])
		}
		seen[pa] = true
	}
	return nil
}
