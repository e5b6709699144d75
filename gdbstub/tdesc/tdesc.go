// Package tdesc reads GDB target descriptions (target.xml and the feature
// files it includes with xi:include) into a register layout: which
// register has which number, size and position in the 'g' packet.
//
// Spec: https://sourceware.org/gdb/current/onlinedocs/gdb.html/Target-Descriptions.html
//
// Numbering rule (GDB manual, "Registers"): a <reg> without regnum gets the
// number after the previous register's, across features and included files
// in document order; the first register is 0. The 'g' packet carries the
// registers in number order, as many as the stub chooses to send; QEMU's
// RISC-V stub sends only x0..x31 and pc there and serves the others
// through 'p'/'P'.
package tdesc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
)

// MaxIncludeDepth bounds nested xi:include chains.
const MaxIncludeDepth = 8

// Register is one register of the target.
type Register struct {
	Name    string
	Num     int    // number used by p/P and in stop replies
	BitSize int    // width in bits
	Type    string // e.g. "int", "code_ptr", "ieee_double"
	Group   string
	Feature string // name of the feature that declared it
}

// Size is the register width in bytes.
func (r Register) Size() int { return (r.BitSize + 7) / 8 }

// Layout is a parsed target description.
type Layout struct {
	Arch      string
	Registers []Register // sorted by Num
	byName    map[string]int
	byNum     map[int]int
}

// Fetch returns the contents of an annex such as "target.xml" or an
// included file; a client implements it with qXfer:features:read.
type Fetch func(annex string) ([]byte, error)

// Load fetches target.xml and everything it includes and builds the layout.
func Load(fetch Fetch) (*Layout, error) {
	l := &Layout{}
	next := 0
	if err := l.load(fetch, "target.xml", &next, 0); err != nil {
		return nil, err
	}
	l.index()
	return l, nil
}

// xml element shapes, parsed by hand with xml.Decoder so that features,
// includes and registers keep their document order.
type regElem struct {
	Name    string `xml:"name,attr"`
	BitSize int    `xml:"bitsize,attr"`
	RegNum  *int   `xml:"regnum,attr"`
	Type    string `xml:"type,attr"`
	Group   string `xml:"group,attr"`
}

func (l *Layout) load(fetch Fetch, annex string, next *int, depth int) error {
	if depth > MaxIncludeDepth {
		return fmt.Errorf("tdesc: includes nested deeper than %d at %s", MaxIncludeDepth, annex)
	}
	doc, err := fetch(annex)
	if err != nil {
		return fmt.Errorf("tdesc: fetching %s: %w", annex, err)
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = false
	feature := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("tdesc: parsing %s: %w", annex, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "architecture":
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				return fmt.Errorf("tdesc: %s: architecture: %w", annex, err)
			}
			l.Arch = s
		case "feature":
			feature = attr(se, "name")
		case "include":
			href := attr(se, "href")
			if href == "" {
				return fmt.Errorf("tdesc: %s: include without href", annex)
			}
			if err := l.load(fetch, href, next, depth+1); err != nil {
				return err
			}
		case "reg":
			if err := l.addReg(dec, se, feature, next); err != nil {
				return fmt.Errorf("tdesc: %s: %w", annex, err)
			}
		}
	}
}

func (l *Layout) addReg(dec *xml.Decoder, se xml.StartElement, feature string, next *int) error {
	var r regElem
	if err := dec.DecodeElement(&r, &se); err != nil {
		return err
	}
	if r.Name == "" || r.BitSize <= 0 || r.BitSize > 4096 {
		return fmt.Errorf("register %q with bad bitsize %d", r.Name, r.BitSize)
	}
	num := *next
	if r.RegNum != nil {
		num = *r.RegNum
	}
	if num < 0 {
		return fmt.Errorf("register %q with negative regnum", r.Name)
	}
	*next = num + 1
	l.Registers = append(l.Registers, Register{Name: r.Name, Num: num, BitSize: r.BitSize,
		Type: r.Type, Group: r.Group, Feature: feature})
	return nil
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (l *Layout) index() {
	sort.SliceStable(l.Registers, func(i, j int) bool { return l.Registers[i].Num < l.Registers[j].Num })
	l.byName = make(map[string]int, len(l.Registers))
	l.byNum = make(map[int]int, len(l.Registers))
	for i, r := range l.Registers {
		l.byName[r.Name] = i
		l.byNum[r.Num] = i
	}
}

// ByName finds a register by name.
func (l *Layout) ByName(name string) (Register, bool) {
	i, ok := l.byName[name]
	if !ok {
		return Register{}, false
	}
	return l.Registers[i], true
}

// ByNum finds a register by number.
func (l *Layout) ByNum(num int) (Register, bool) {
	i, ok := l.byNum[num]
	if !ok {
		return Register{}, false
	}
	return l.Registers[i], true
}

// Slot is where a register sits in a 'g' packet's decoded bytes.
type Slot struct {
	Register
	Offset int
}

// GPacket maps the first n bytes of a 'g' reply onto registers in number
// order. Registers that do not fit completely are left out, so a short 'g'
// (QEMU sends only the core registers) is handled naturally. A gap in the
// numbering ends the mapping, since the packet has no slot for it.
func (l *Layout) GPacket(n int) []Slot {
	var out []Slot
	off := 0
	for i, r := range l.Registers {
		if i > 0 && r.Num != l.Registers[i-1].Num+1 {
			break
		}
		if off+r.Size() > n {
			break
		}
		out = append(out, Slot{Register: r, Offset: off})
		off += r.Size()
	}
	return out
}
