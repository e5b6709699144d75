package fdt

import (
	"fmt"
	"slices"
	"strings"
)

// Tree is a parsed device tree.
type Tree struct {
	Root     *Node
	Reserved []Region // memory reservation block entries
	BootCPU  uint32   // boot_cpuid_phys from the header
}

// Find returns the node at an absolute path such as "/soc/serial@10000000"
// or "/chosen", or nil. A component may omit the unit address when only
// one child has that name. A path not starting with "/" is looked up in
// /aliases first.
func (t *Tree) Find(path string) *Node {
	if t.Root == nil {
		return nil
	}
	if !strings.HasPrefix(path, "/") {
		alias, rest, _ := strings.Cut(path, "/")
		aliases := t.Find("/aliases")
		if aliases == nil {
			return nil
		}
		target, ok := aliases.String(alias)
		if !ok || !strings.HasPrefix(target, "/") {
			return nil
		}
		if rest != "" {
			target += "/" + rest
		}
		return t.Find(target)
	}
	n := t.Root
	for _, part := range strings.Split(path[1:], "/") {
		if part == "" {
			continue
		}
		if n = n.child(part); n == nil {
			return nil
		}
	}
	return n
}

// Compatible returns, in tree order, every node whose compatible list
// contains c.
func (t *Tree) Compatible(c string) []*Node {
	var out []*Node
	t.Walk(func(n *Node) {
		if slices.Contains(n.Strings("compatible"), c) {
			out = append(out, n)
		}
	})
	return out
}

// Walk calls f for every node, parents before children, in blob order.
func (t *Tree) Walk(f func(*Node)) {
	if t.Root == nil {
		return
	}
	stack := []*Node{t.Root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		f(n)
		for i := len(n.Children) - 1; i >= 0; i-- {
			stack = append(stack, n.Children[i])
		}
	}
}

// Memory returns the RAM regions: the reg entries of every node with
// device_type "memory", in tree order. It is an error if there is none.
func (t *Tree) Memory() ([]Region, error) {
	var out []Region
	var err error
	t.Walk(func(n *Node) {
		if dt, _ := n.String("device_type"); dt != "memory" || err != nil {
			return
		}
		var r []Region
		if r, err = n.Reg(); err == nil {
			out = append(out, r...)
		}
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("fdt: no memory node with a reg property")
	}
	return out, nil
}

// Bootargs returns /chosen/bootargs (QEMU's -append), or "".
func (t *Tree) Bootargs() string {
	if c := t.Find("/chosen"); c != nil {
		s, _ := c.String("bootargs")
		return s
	}
	return ""
}

// Phandle returns the node whose phandle property is h (the target of an
// interrupt-parent or interrupts-extended reference), or nil.
func (t *Tree) Phandle(h uint32) *Node {
	var found *Node
	t.Walk(func(n *Node) {
		if v, ok := n.U32("phandle"); ok && v == h && found == nil {
			found = n
		}
	})
	return found
}
