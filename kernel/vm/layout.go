package vm

import "fmt"

// Layout is what a walk of a page table found: every table frame and
// every 4 KiB leaf (va → pa). The kernel's consistency checks compare it
// with what the owner of the table recorded.
type Layout struct {
	Tables map[uint64]bool
	Leaves map[uint64]uint64
}

// Walk reads the whole table. It fails if a table is reached twice, a
// level-0 entry points to another table, or a leaf is a 2 MiB or 1 GiB
// superpage (the builder makes none).
func (pt *PageTable) Walk() (Layout, error) {
	l := Layout{Tables: map[uint64]bool{}, Leaves: map[uint64]uint64{}}
	if pt.root == 0 {
		return l, errDestroyed
	}
	return l, pt.walk(&l, pt.root, levels-1, 0)
}

func (pt *PageTable) walk(l *Layout, table uint64, level int, va uint64) error {
	if l.Tables[table] {
		return fmt.Errorf("vm: table frame %#x reached twice", table)
	}
	l.Tables[table] = true
	for i := uint64(0); i < entries; i++ {
		pte := pt.mem.Load(table + 8*i)
		if !pteValid(pte) {
			continue
		}
		v := va | i<<(pageShift+9*level)
		switch {
		case !pteLeaf(pte) && level == 0:
			return fmt.Errorf("vm: pointer entry at level 0 for %#x", v)
		case !pteLeaf(pte):
			if err := pt.walk(l, ptePA(pte), level-1, v); err != nil {
				return err
			}
		case level != 0:
			return fmt.Errorf("vm: superpage leaf at level %d for %#x", level, v)
		default:
			l.Leaves[v] = ptePA(pte)
		}
	}
	return nil
}
