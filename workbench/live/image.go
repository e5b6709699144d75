package live

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	"copslab/kernel/ktrace"
)

// Image is what the workbench needs from a kernel ELF: where the trace
// ring and the decision point are, the build id, the clock's location,
// and the DWARF line table for stepping. Everything is found by symbol
// or DWARF name; nothing is a fixed address.
type Image struct {
	Path string

	BuildID     []byte // NT_GNU_BUILD_ID descriptor
	BuildIDNote uint64 // address of the whole .note.gnu.build-id note in guest memory
	NoteBytes   []byte // that note as the ELF holds it

	Ring    uint64 // address of ktrace.Buf
	RingLen uint64
	Put     uint64 // address of ktrace.(*Ring).put: the decision point
	Table   uint64 // address of ktrace.Table (the live threads)

	// Clock: runtime.bmBoard's clint and timebase fields (DWARF), so the
	// reader can read mtime and convert it to ns.
	BoardClint, BoardTimebase uint64 // addresses of the two fields
	// IdleTicks is the address of runtime.bmStats.idle: mtime ticks the
	// kernel spent waiting in wfi (0: an older kernel without it).
	IdleTicks uint64

	syms  []elf.Symbol // functions, by address
	dw    *dwarf.Data
	lines []lineEntry // sorted by address
}

type lineEntry struct {
	pc   uint64
	file string
	line int
}

// LoadImage reads a kernel ELF.
func LoadImage(path string) (*Image, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("kernel ELF %s: %w", path, err)
	}
	defer f.Close()
	im := &Image{Path: path}
	if err := im.buildID(f); err != nil {
		return nil, fmt.Errorf("kernel ELF %s: %w", path, err)
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("kernel ELF %s: symbols: %w", path, err)
	}
	for _, s := range syms {
		switch s.Name {
		case ktrace.Symbol:
			im.Ring, im.RingLen = s.Value, s.Size
		case ktrace.PutSymbol:
			im.Put = s.Value
		case ktrace.TableSymbol:
			im.Table = s.Value
		}
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Value != 0 {
			im.syms = append(im.syms, s)
		}
	}
	sort.Slice(im.syms, func(i, j int) bool { return im.syms[i].Value < im.syms[j].Value })
	switch {
	case im.Ring == 0:
		return nil, fmt.Errorf("kernel ELF %s has no symbol %s: built before the kernel recorded a trace?", path, ktrace.Symbol)
	case im.RingLen != ktrace.RingBytes:
		return nil, fmt.Errorf("kernel ELF %s: %s is %d bytes, this workbench reads %d (rebuild one of them)", path, ktrace.Symbol, im.RingLen, ktrace.RingBytes)
	case im.Table == 0:
		return nil, fmt.Errorf("kernel ELF %s has no symbol %s", path, ktrace.TableSymbol)
	case im.Put == 0:
		return nil, fmt.Errorf("kernel ELF %s has no symbol %s", path, ktrace.PutSymbol)
	}
	if im.dw, err = f.DWARF(); err != nil {
		return nil, fmt.Errorf("kernel ELF %s: DWARF: %w", path, err)
	}
	if err := im.board(); err != nil {
		return nil, fmt.Errorf("kernel ELF %s: %w", path, err)
	}
	im.IdleTicks = im.fieldAddr("runtime.bmStats", "idle")
	if err := im.lineTable(); err != nil {
		return nil, fmt.Errorf("kernel ELF %s: line table: %w", path, err)
	}
	return im, nil
}

// buildID finds the GNU build id note and keeps its bytes and address:
// the note is in the first loaded segment, so the running kernel holds
// the same bytes at the same address if (and only if) it is this build.
func (im *Image) buildID(f *elf.File) error {
	s := f.Section(".note.gnu.build-id")
	if s == nil {
		return errors.New("no .note.gnu.build-id section (the kernel build always writes one)")
	}
	b, err := s.Data()
	if err != nil {
		return err
	}
	id, err := parseBuildIDNote(b)
	if err != nil {
		return err
	}
	im.BuildID, im.BuildIDNote, im.NoteBytes = id, s.Addr, b
	return nil
}

// parseBuildIDNote decodes an ELF note holding NT_GNU_BUILD_ID.
func parseBuildIDNote(b []byte) ([]byte, error) {
	if len(b) < 16 {
		return nil, fmt.Errorf("build id note is %d bytes", len(b))
	}
	le := binary.LittleEndian
	nameSz, descSz, typ := le.Uint32(b), le.Uint32(b[4:]), le.Uint32(b[8:])
	name := (nameSz + 3) &^ 3
	switch {
	case typ != 3 || nameSz != 4 || !bytes.Equal(b[12:16], []byte("GNU\x00")):
		return nil, fmt.Errorf("not a GNU build id note (type %d, name size %d)", typ, nameSz)
	case descSz == 0 || descSz > 64 || 12+uint64(name)+uint64(descSz) > uint64(len(b)):
		return nil, fmt.Errorf("build id of %d bytes in a %d-byte note", descSz, len(b))
	}
	return b[12+name : 12+name+descSz], nil
}

// BuildIDString is the build id in hex, as `readelf -n` prints it.
func (im *Image) BuildIDString() string { return hex.EncodeToString(im.BuildID) }

// board finds runtime.bmBoard's clint and timebase fields through DWARF.
func (im *Image) board() error {
	e, err := im.entry(dwarf.TagVariable, "runtime.bmBoard")
	if err != nil {
		return fmt.Errorf("%w (the board description of kernel/rt)", err)
	}
	addr, err := locAddr(e)
	if err != nil {
		return err
	}
	off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if !ok {
		return errors.New("runtime.bmBoard has no type")
	}
	f, err := im.structFields(off)
	if err != nil {
		return fmt.Errorf("runtime.bmBoard: %w", err)
	}
	clint, ok1 := f["clint"]
	tb, ok2 := f["timebase"]
	if !ok1 || !ok2 {
		return errors.New("runtime.bmBoard lacks the clint or timebase field")
	}
	im.BoardClint, im.BoardTimebase = addr+uint64(clint), addr+uint64(tb)
	return nil
}

// fieldAddr is the address of field of the static struct variable
// name, from DWARF, or 0 when there is none.
func (im *Image) fieldAddr(name, field string) uint64 {
	e, err := im.entry(dwarf.TagVariable, name)
	if err != nil {
		return 0
	}
	addr, err := locAddr(e)
	off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if err != nil || !ok {
		return 0
	}
	f, err := im.structFields(off)
	if o, found := f[field]; err == nil && found {
		return addr + uint64(o)
	}
	return 0
}

// entry finds the first DWARF entry with tag and name.
func (im *Image) entry(tag dwarf.Tag, name string) (*dwarf.Entry, error) {
	r := im.dw.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return nil, fmt.Errorf("DWARF of %s has no %v %s", im.Path, tag, name)
		}
		if e.Tag == tag && e.Val(dwarf.AttrName) == name {
			return e, nil
		}
	}
}

// structFields returns the byte offsets of the fields of the struct type
// at off (through typedefs).
func (im *Image) structFields(off dwarf.Offset) (map[string]int64, error) {
	t, err := im.dw.Type(off)
	if err != nil {
		return nil, err
	}
	for {
		td, ok := t.(*dwarf.TypedefType)
		if !ok {
			break
		}
		t = td.Type
	}
	st, ok := t.(*dwarf.StructType)
	if !ok {
		return nil, fmt.Errorf("type is a %T, want a struct", t)
	}
	out := map[string]int64{}
	for _, f := range st.Field {
		out[f.Name] = f.ByteOffset
	}
	return out, nil
}

// locAddr decodes a DW_OP_addr location.
func locAddr(e *dwarf.Entry) (uint64, error) {
	loc, ok := e.Val(dwarf.AttrLocation).([]byte)
	if !ok || len(loc) != 9 || loc[0] != 0x03 { // DW_OP_addr
		return 0, fmt.Errorf("%v: location is not a static address", e.Val(dwarf.AttrName))
	}
	return binary.LittleEndian.Uint64(loc[1:]), nil
}

// lineTable reads every compile unit's line program.
func (im *Image) lineTable() error {
	r := im.dw.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			break
		}
		if e.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		lr, err := im.dw.LineReader(e)
		if err != nil {
			return err
		}
		r.SkipChildren()
		if lr == nil {
			continue
		}
		var le dwarf.LineEntry
		for lr.Next(&le) == nil {
			if !le.EndSequence && le.File != nil {
				im.lines = append(im.lines, lineEntry{le.Address, le.File.Name, le.Line})
			}
		}
	}
	sort.SliceStable(im.lines, func(i, j int) bool { return im.lines[i].pc < im.lines[j].pc })
	if len(im.lines) == 0 {
		return errors.New("empty")
	}
	return nil
}

// Location is a pc with its function and Go source line.
type Location struct {
	PC   uint64
	Func string
	File string
	Line int
}

func (l Location) String() string {
	if l.File == "" {
		return fmt.Sprintf("%#x %s", l.PC, l.Func)
	}
	return fmt.Sprintf("%#x %s %s:%d", l.PC, l.Func, l.File, l.Line)
}

// Lookup maps a pc to its function and source line.
func (im *Image) Lookup(pc uint64) Location {
	loc := Location{PC: pc}
	if i := sort.Search(len(im.syms), func(i int) bool { return im.syms[i].Value > pc }) - 1; i >= 0 {
		s := im.syms[i]
		if pc < s.Value+max(s.Size, 1) {
			loc.Func = s.Name
		}
	}
	if i := sort.Search(len(im.lines), func(i int) bool { return im.lines[i].pc > pc }) - 1; i >= 0 {
		loc.File, loc.Line = im.lines[i].file, im.lines[i].line
	}
	return loc
}

// Symbol returns the address of a function symbol.
func (im *Image) Symbol(name string) (uint64, bool) {
	for _, s := range im.syms {
		if s.Name == name {
			return s.Value, true
		}
	}
	return 0, false
}

// Fields returns the byte offsets of the fields of the Go struct type
// named name (e.g. "copslab/kernel/proc.TrapFrame"), from DWARF.
func (im *Image) Fields(name string) (map[string]int64, error) {
	e, err := im.entry(dwarf.TagStructType, name)
	if err != nil {
		return nil, err
	}
	return im.structFields(e.Offset)
}
