package fdt

import (
	"bytes"
	"fmt"
	"strings"
)

// Region is a physical address range [Base, Base+Size).
type Region struct{ Base, Size uint64 }

// End is the first address after the region.
func (r Region) End() uint64 { return r.Base + r.Size }

func (r Region) String() string { return fmt.Sprintf("[%#x, %#x)", r.Base, r.End()) }

// Node is one device tree node. Name includes the unit address
// ("serial@10000000"); the root's name is "".
type Node struct {
	Name     string
	Children []*Node
	Parent   *Node
	props    []property
}

type property struct {
	name  string
	value []byte
}

// Default cell counts when a parent has no #address-cells/#size-cells,
// spec §2.3.5.
const (
	defaultAddressCells = 2
	defaultSizeCells    = 1
)

// Prop returns the raw value of property name.
func (n *Node) Prop(name string) ([]byte, bool) {
	for _, p := range n.props {
		if p.name == name {
			return p.value, true
		}
	}
	return nil, false
}

// PropNames lists the node's property names in blob order.
func (n *Node) PropNames() []string {
	out := make([]string, len(n.props))
	for i, p := range n.props {
		out[i] = p.name
	}
	return out
}

// String returns a string property (the first one of a string list),
// without its terminating NUL. ok is false if the property is missing or
// not NUL-terminated.
func (n *Node) String(name string) (string, bool) {
	v, ok := n.Prop(name)
	if !ok || len(v) == 0 || v[len(v)-1] != 0 {
		return "", false
	}
	return string(v[:bytes.IndexByte(v, 0)]), true
}

// Strings returns every string of a string-list property (e.g. compatible).
func (n *Node) Strings(name string) []string {
	v, ok := n.Prop(name)
	if !ok || len(v) == 0 || v[len(v)-1] != 0 {
		return nil
	}
	return strings.Split(string(v[:len(v)-1]), "\x00")
}

// U32 returns a property holding exactly one 32-bit cell.
func (n *Node) U32(name string) (uint32, bool) {
	v, ok := n.Prop(name)
	if !ok || len(v) != 4 {
		return 0, false
	}
	return be.Uint32(v), true
}

// cells returns a property as 32-bit cells; ok is false if it is missing
// or its length is not a multiple of 4.
func (n *Node) cells(name string) ([]uint32, bool) {
	v, ok := n.Prop(name)
	if !ok || len(v)%4 != 0 {
		return nil, false
	}
	out := make([]uint32, len(v)/4)
	for i := range out {
		out[i] = be.Uint32(v[4*i:])
	}
	return out, true
}

// Interrupts returns the cells of the node's interrupts property (the
// specifier as the interrupt parent defines it; one cell per interrupt
// on the RISC-V PLIC), or nil.
func (n *Node) Interrupts() []uint32 {
	c, _ := n.cells("interrupts")
	return c
}

// addressCells returns the #address-cells and #size-cells that apply to
// n's children.
func (n *Node) childCells() (addr, size uint32) {
	addr, size = defaultAddressCells, defaultSizeCells
	if v, ok := n.U32("#address-cells"); ok {
		addr = v
	}
	if v, ok := n.U32("#size-cells"); ok {
		size = v
	}
	return addr, size
}

// Reg decodes the reg property with the parent's cell counts. A node
// without reg has no regions and no error.
func (n *Node) Reg() ([]Region, error) {
	v, ok := n.Prop("reg")
	if !ok {
		return nil, nil
	}
	ac, sc := uint32(defaultAddressCells), uint32(defaultSizeCells)
	if n.Parent != nil {
		ac, sc = n.Parent.childCells()
	}
	if ac == 0 || ac > 2 || sc > 2 {
		return nil, fmt.Errorf("fdt: %s: reg with #address-cells=%d #size-cells=%d not supported (want 1..2, 0..2)", n.Path(), ac, sc)
	}
	entry := int(ac+sc) * 4
	if len(v)%entry != 0 {
		return nil, fmt.Errorf("fdt: %s: reg is %d bytes, not a multiple of %d", n.Path(), len(v), entry)
	}
	out := make([]Region, 0, len(v)/entry)
	for ; len(v) > 0; v = v[entry:] {
		out = append(out, Region{Base: readCells(v, ac), Size: readCells(v[ac*4:], sc)})
	}
	return out, nil
}

// readCells reads n (0..2) big-endian cells as one number.
func readCells(b []byte, n uint32) uint64 {
	var x uint64
	for i := uint32(0); i < n; i++ {
		x = x<<32 | uint64(be.Uint32(b[4*i:]))
	}
	return x
}

// Path is the node's full path, e.g. "/soc/serial@10000000".
func (n *Node) Path() string {
	if n.Parent == nil {
		return "/"
	}
	if n.Parent.Parent == nil {
		return "/" + n.Name
	}
	return n.Parent.Path() + "/" + n.Name
}

// child finds a direct child by full name, or by name without the unit
// address when that is unique ("memory" for "memory@80000000").
func (n *Node) child(name string) *Node {
	var byBase *Node
	matches := 0
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
		if base, _, _ := strings.Cut(c.Name, "@"); base == name && !strings.Contains(name, "@") {
			byBase = c
			matches++
		}
	}
	if matches == 1 {
		return byBase
	}
	return nil
}
