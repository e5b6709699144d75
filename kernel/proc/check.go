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
	tables := map[uint64]bool{}
	leaves := map[uint64]uint64{}
	var walk func(table uint64, level int, va uint64) error
	walk = func(table uint64, level int, va uint64) error {
		if table < lo || table >= hi || tables[table] {
			return fmt.Errorf("proc: table frame %#x outside the pool or reached twice", table)
		}
		tables[table] = true
		for i := uint64(0); i < 512; i++ {
			pte := s.phys.Load(table + 8*i)
			if pte&1 == 0 {
				continue
			}
			pa := (pte >> 10 & (1<<44 - 1)) << 12
			v := va | i<<(12+9*level)
			if pte&0xe == 0 {
				if level == 0 {
					return fmt.Errorf("proc: pointer entry at level 0 for %#x", v)
				}
				if err := walk(pa, level-1, v); err != nil {
					return err
				}
				continue
			}
			leaves[v] = pa
		}
		return nil
	}
	if err := walk(s.PT.Root(), 2, 0); err != nil {
		return err
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
