package fdt

import (
	"bytes"
	"fmt"
)

// Structure block tokens, spec §5.4.1.
const (
	tokBeginNode = 0x1
	tokEndNode   = 0x2
	tokProp      = 0x3
	tokNop       = 0x4
	tokEnd       = 0x9
)

// maxDepth bounds nesting; real trees are a handful of levels deep.
const maxDepth = 64

// Parse reads a device tree blob. blob may be longer than the header's
// totalsize (the rest is ignored) but not shorter. The tree keeps its own
// copy of the bytes, so the caller may reuse blob afterwards.
func Parse(blob []byte) (*Tree, error) {
	n, err := TotalSize(blob)
	if err != nil {
		return nil, err
	}
	if uint64(n) > uint64(len(blob)) {
		return nil, fmt.Errorf("fdt: totalsize %d but only %d bytes given", n, len(blob))
	}
	blob = bytes.Clone(blob[:n])
	h, err := readHeader(blob)
	if err != nil {
		return nil, err
	}
	t := &Tree{BootCPU: h.bootCPUID}
	if t.Reserved, err = readReservations(blob, h.offMemRsvmap); err != nil {
		return nil, err
	}
	p := parser{
		s:       blob[h.offStruct : h.offStruct+h.sizeStruct],
		strings: blob[h.offStrings : h.offStrings+h.sizeStrings],
	}
	if t.Root, err = p.structure(); err != nil {
		return nil, err
	}
	return t, nil
}

// parser walks the structure block.
type parser struct {
	s       []byte // structure block
	off     int    // next token
	strings []byte // strings block
}

// structure reads the token stream: NOPs, one root node, then END.
func (p *parser) structure() (*Node, error) {
	var root, cur *Node
	depth := 0
	for {
		tok, err := p.u32()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokNop:
		case tokBeginNode:
			if root != nil && cur == nil {
				return nil, p.errorf("second root node")
			}
			if depth++; depth > maxDepth {
				return nil, p.errorf("nodes nested deeper than %d", maxDepth)
			}
			n, err := p.beginNode(cur)
			if err != nil {
				return nil, err
			}
			if root == nil {
				root = n
			}
			cur = n
		case tokEndNode:
			if cur == nil {
				return nil, p.errorf("END_NODE outside any node")
			}
			cur, depth = cur.Parent, depth-1
		case tokProp:
			if cur == nil {
				return nil, p.errorf("property outside any node")
			}
			if err := p.prop(cur); err != nil {
				return nil, err
			}
		case tokEnd:
			if root == nil || cur != nil {
				return nil, p.errorf("END before the root node was closed")
			}
			return root, nil
		default:
			return nil, p.errorf("unknown token %#x", tok)
		}
	}
}

// beginNode reads the node name after BEGIN_NODE and links a new node.
func (p *parser) beginNode(parent *Node) (*Node, error) {
	i := bytes.IndexByte(p.s[p.off:], 0)
	if i < 0 {
		return nil, p.errorf("node name not terminated")
	}
	n := &Node{Name: string(p.s[p.off : p.off+i]), Parent: parent}
	if parent != nil {
		parent.Children = append(parent.Children, n)
	}
	p.skip(i + 1)
	return n, nil
}

// prop reads len, nameoff and the value after PROP.
func (p *parser) prop(n *Node) error {
	size, err := p.u32()
	if err != nil {
		return err
	}
	nameOff, err := p.u32()
	if err != nil {
		return err
	}
	if uint64(size) > uint64(len(p.s)-p.off) {
		return p.errorf("property value of %d bytes overruns the structure block", size)
	}
	name, err := p.name(nameOff)
	if err != nil {
		return err
	}
	v := p.s[p.off : p.off+int(size) : p.off+int(size)]
	n.props = append(n.props, property{name: name, value: v})
	p.skip(int(size))
	return nil
}

// name returns the NUL-terminated string at off in the strings block.
func (p *parser) name(off uint32) (string, error) {
	if uint64(off) >= uint64(len(p.strings)) {
		return "", p.errorf("property name offset %#x outside the strings block", off)
	}
	i := bytes.IndexByte(p.strings[off:], 0)
	if i < 0 {
		return "", p.errorf("property name at %#x not terminated", off)
	}
	return string(p.strings[off : int(off)+i]), nil
}

// u32 reads the next big-endian word.
func (p *parser) u32() (uint32, error) {
	if len(p.s)-p.off < 4 {
		return 0, p.errorf("structure block ends without END token")
	}
	v := be.Uint32(p.s[p.off:])
	p.off += 4
	return v, nil
}

// skip advances n bytes and then to the next 4-byte boundary.
func (p *parser) skip(n int) {
	next := (p.off + n + 3) &^ 3
	if next > len(p.s) {
		next = len(p.s) // the following u32 reports the missing END
	}
	p.off = next
}

func (p *parser) errorf(format string, a ...any) error {
	return fmt.Errorf("fdt: structure block offset %#x: %s", p.off, fmt.Sprintf(format, a...))
}
