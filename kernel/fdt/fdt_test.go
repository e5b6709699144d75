package fdt

import (
	"bytes"
	"encoding/binary"
	"os"
	"reflect"
	"strings"
	"testing"
)

func virtBlob(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/qemu-virt-512m-selftest.dtb")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func virt(t *testing.T) *Tree {
	t.Helper()
	tr, err := Parse(virtBlob(t))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestVirtMemory(t *testing.T) {
	mem, err := virt(t).Memory()
	if err != nil {
		t.Fatal(err)
	}
	want := []Region{{Base: 0x80000000, Size: 512 << 20}}
	if !reflect.DeepEqual(mem, want) {
		t.Errorf("Memory = %v, want %v", mem, want)
	}
}

func TestVirtBootargs(t *testing.T) {
	tr := virt(t)
	if got := tr.Bootargs(); got != "selftest" {
		t.Errorf("Bootargs = %q, want selftest", got)
	}
	if s, ok := tr.Find("/chosen").String("stdout-path"); !ok || s != "/soc/serial@10000000" {
		t.Errorf("stdout-path = %q %v", s, ok)
	}
}

func TestVirtUART(t *testing.T) {
	tr := virt(t)
	uarts := tr.Compatible("ns16550a")
	if len(uarts) != 1 {
		t.Fatalf("Compatible(ns16550a) = %d nodes", len(uarts))
	}
	u := uarts[0]
	if u.Name != "serial@10000000" || u.Path() != "/soc/serial@10000000" || u.Parent != tr.Find("/soc") {
		t.Errorf("uart node %q at %q", u.Name, u.Path())
	}
	if tr.Find("/soc/serial@10000000") != u || tr.Find("/soc/serial") != u {
		t.Error("Find by full name or base name does not give the uart")
	}
	reg, err := u.Reg()
	if err != nil || !reflect.DeepEqual(reg, []Region{{0x10000000, 0x100}}) {
		t.Errorf("uart Reg = %v, %v", reg, err)
	}
	if irq := u.Interrupts(); !reflect.DeepEqual(irq, []uint32{10}) {
		t.Errorf("uart Interrupts = %v, want [10]", irq)
	}
	parent, ok := u.U32("interrupt-parent")
	if !ok || tr.Phandle(parent) != tr.Compatible("riscv,plic0")[0] {
		t.Errorf("uart interrupt-parent %d does not lead to the PLIC", parent)
	}
}

func TestVirtPLICAndCLINT(t *testing.T) {
	tr := virt(t)
	for _, c := range []struct {
		compat string
		want   Region
	}{
		{"riscv,plic0", Region{0x0c000000, 0x600000}},
		{"sifive,plic-1.0.0", Region{0x0c000000, 0x600000}},
		{"riscv,clint0", Region{0x02000000, 0x10000}},
		{"sifive,test0", Region{0x100000, 0x1000}},
	} {
		nodes := tr.Compatible(c.compat)
		if len(nodes) != 1 {
			t.Errorf("Compatible(%q) = %d nodes", c.compat, len(nodes))
			continue
		}
		reg, err := nodes[0].Reg()
		if err != nil || len(reg) != 1 || reg[0] != c.want {
			t.Errorf("%s Reg = %v, %v; want %v", c.compat, reg, err, c.want)
		}
	}
	if n, ok := tr.Compatible("riscv,plic0")[0].U32("riscv,ndev"); !ok || n != 0x60 {
		t.Errorf("riscv,ndev = %d %v", n, ok)
	}
}

func TestVirtCPUs(t *testing.T) {
	tr := virt(t)
	cpu := tr.Find("/cpus/cpu@0")
	if cpu == nil {
		t.Fatal("no /cpus/cpu@0")
	}
	// /cpus has #address-cells=1, #size-cells=0.
	if reg, err := cpu.Reg(); err != nil || !reflect.DeepEqual(reg, []Region{{0, 0}}) {
		t.Errorf("cpu Reg = %v, %v", reg, err)
	}
	if isa, _ := cpu.String("riscv,isa"); !strings.HasPrefix(isa, "rv64") {
		t.Errorf("riscv,isa = %q", isa)
	}
	if tf, ok := tr.Find("/cpus").U32("timebase-frequency"); !ok || tf != 10000000 {
		t.Errorf("timebase-frequency = %d %v", tf, ok)
	}
	if tr.BootCPU != 0 || len(tr.Reserved) != 0 {
		t.Errorf("BootCPU %d, Reserved %v", tr.BootCPU, tr.Reserved)
	}
}

func TestFindMisses(t *testing.T) {
	tr := virt(t)
	for _, p := range []string{"/nope", "/soc/serial@1", "nosuchalias", "/soc/serial@10000000/x"} {
		if n := tr.Find(p); n != nil {
			t.Errorf("Find(%q) = %s", p, n.Path())
		}
	}
	if tr.Find("/") != tr.Root || tr.Find("") != nil {
		t.Error("Find of root / empty path")
	}
}

func TestTotalSize(t *testing.T) {
	b := virtBlob(t)
	if n, err := TotalSize(b[:8]); err != nil || n != uint32(len(b)) {
		t.Errorf("TotalSize = %d, %v; want %d", n, err, len(b))
	}
	if _, err := TotalSize(b[:7]); err == nil {
		t.Error("short header accepted")
	}
	if _, err := TotalSize(make([]byte, 8)); err == nil {
		t.Error("zero magic accepted")
	}
}

// TestParseCopies checks that the tree does not alias the caller's bytes.
func TestParseCopies(t *testing.T) {
	b := virtBlob(t)
	tr, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0xff
	}
	if tr.Bootargs() != "selftest" {
		t.Error("tree changed when the input buffer was overwritten")
	}
}

// TestTruncated parses every prefix of the real blob: all must fail cleanly.
func TestTruncated(t *testing.T) {
	b := virtBlob(t)
	for n := 0; n < len(b); n++ {
		if _, err := Parse(b[:n]); err == nil {
			t.Fatalf("prefix of %d bytes accepted", n)
		}
	}
	if _, err := Parse(append(b, 1, 2, 3)); err != nil {
		t.Errorf("trailing bytes after totalsize rejected: %v", err)
	}
}

// TestCorrupted flips every byte of the real blob; Parse must not panic.
func TestCorrupted(t *testing.T) {
	b := virtBlob(t)
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0xa5
		if tr, err := Parse(c); err == nil {
			tr.Memory()
			tr.Bootargs()
			tr.Compatible("ns16550a")
		}
	}
}

// builder writes small synthetic blobs for the error paths.
type builder struct {
	st, str []byte
	rsv     []Region
}

func (b *builder) u32(v uint32) { b.st = binary.BigEndian.AppendUint32(b.st, v) }
func (b *builder) begin(name string) {
	b.u32(tokBeginNode)
	b.st = append(b.st, name...)
	b.st = append(b.st, 0)
	b.pad()
}
func (b *builder) pad() {
	for len(b.st)%4 != 0 {
		b.st = append(b.st, 0)
	}
}
func (b *builder) end() { b.u32(tokEndNode) }
func (b *builder) prop(name string, v []byte) {
	off := bytes.Index(b.str, append([]byte(name), 0))
	if off < 0 {
		off = len(b.str)
		b.str = append(append(b.str, name...), 0)
	}
	b.u32(tokProp)
	b.u32(uint32(len(v)))
	b.u32(uint32(off))
	b.st = append(b.st, v...)
	b.pad()
}
func (b *builder) cells(name string, c ...uint32) {
	var v []byte
	for _, x := range c {
		v = binary.BigEndian.AppendUint32(v, x)
	}
	b.prop(name, v)
}
func (b *builder) blob() []byte {
	rsvOff := uint32(headerSize)
	rsv := []byte{}
	for _, r := range append(b.rsv, Region{}) {
		rsv = binary.BigEndian.AppendUint64(rsv, r.Base)
		rsv = binary.BigEndian.AppendUint64(rsv, r.Size)
	}
	stOff := rsvOff + uint32(len(rsv))
	strOff := stOff + uint32(len(b.st))
	total := strOff + uint32(len(b.str))
	var h []byte
	for _, v := range []uint32{Magic, total, stOff, strOff, rsvOff, 17, 16, 0, uint32(len(b.str)), uint32(len(b.st))} {
		h = binary.BigEndian.AppendUint32(h, v)
	}
	return append(append(append(h, rsv...), b.st...), b.str...)
}

// small builds a valid tree with 1/1 cells, two memory nodes and bootargs.
func small() *builder {
	b := &builder{rsv: []Region{{0x1000, 0x2000}}}
	b.begin("")
	b.cells("#address-cells", 1)
	b.cells("#size-cells", 1)
	b.begin("aliases")
	b.prop("mem", []byte("/memory@2\x00"))
	b.end()
	b.begin("chosen")
	b.prop("bootargs", []byte("console=ttyS0 quiet\x00"))
	b.end()
	for _, base := range []uint32{0x40000000, 0x80000000} {
		b.begin("memory@" + string(rune('0'+base>>30)))
		b.prop("device_type", []byte("memory\x00"))
		b.cells("reg", base, 0x1000000)
		b.end()
	}
	b.end()
	b.u32(tokEnd)
	return b
}

func TestSynthetic(t *testing.T) {
	tr, err := Parse(small().blob())
	if err != nil {
		t.Fatal(err)
	}
	mem, err := tr.Memory()
	want := []Region{{0x40000000, 0x1000000}, {0x80000000, 0x1000000}}
	if err != nil || !reflect.DeepEqual(mem, want) {
		t.Errorf("Memory = %v, %v; want %v", mem, err, want)
	}
	if tr.Bootargs() != "console=ttyS0 quiet" {
		t.Errorf("Bootargs = %q", tr.Bootargs())
	}
	if !reflect.DeepEqual(tr.Reserved, []Region{{0x1000, 0x2000}}) {
		t.Errorf("Reserved = %v", tr.Reserved)
	}
	if tr.Find("/memory") != nil {
		t.Error("ambiguous base name resolved")
	}
	if tr.Find("mem") == nil || tr.Find("mem") != tr.Find("/memory@2") || tr.Find("nope") != nil {
		t.Error("alias lookup")
	}
}

func TestSyntheticErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(b *builder) []byte
		want string
	}{
		{"bad magic", func(b *builder) []byte { x := b.blob(); x[0] = 0; return x }, "magic"},
		{"old version", func(b *builder) []byte { x := b.blob(); binary.BigEndian.PutUint32(x[20:], 3); return x }, "version"},
		{"struct outside", func(b *builder) []byte { x := b.blob(); binary.BigEndian.PutUint32(x[36:], 1<<20); return x }, "structure block"},
		{"no END", func(b *builder) []byte { b.st = b.st[:len(b.st)-4]; return b.blob() }, "without END"},
		{"unknown token", func(b *builder) []byte { b.st = b.st[:len(b.st)-4]; b.u32(7); return b.blob() }, "unknown token"},
		{"unbalanced", func(b *builder) []byte { b.st = b.st[:len(b.st)-8]; b.u32(tokEnd); return b.blob() }, "END before"},
		{"extra END_NODE", func(b *builder) []byte { b.st = b.st[:len(b.st)-4]; b.end(); b.u32(tokEnd); return b.blob() }, "outside any node"},
		{"name offset", func(b *builder) []byte {
			b.st = b.st[:len(b.st)-8]
			b.u32(tokProp)
			b.u32(0)
			b.u32(999)
			b.end()
			b.u32(tokEnd)
			return b.blob()
		}, "strings block"},
		{"prop overrun", func(b *builder) []byte {
			b.st = b.st[:len(b.st)-8]
			b.u32(tokProp)
			b.u32(1 << 30)
			b.u32(0)
			return b.blob()
		}, "overruns"},
		{"deep", func(b *builder) []byte {
			b.st = b.st[:len(b.st)-8]
			for range maxDepth + 1 {
				b.begin("n")
			}
			return b.blob()
		}, "deeper"},
	}
	for _, c := range cases {
		_, err := Parse(c.edit(small()))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want mention of %q", c.name, err, c.want)
		}
	}
}

func TestRegErrors(t *testing.T) {
	b := &builder{}
	b.begin("")
	b.cells("#address-cells", 3)
	b.begin("a")
	b.cells("reg", 1, 2, 3, 4)
	b.end()
	b.end()
	b.u32(tokEnd)
	tr, err := Parse(b.blob())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Find("/a").Reg(); err == nil || !strings.Contains(err.Error(), "#address-cells=3") {
		t.Errorf("3 address cells: %v", err)
	}
	b2 := small()
	b2.st = b2.st[:len(b2.st)-8] // drop root END_NODE and END
	b2.begin("odd")
	b2.cells("reg", 1, 2, 3)
	b2.end()
	b2.end()
	b2.u32(tokEnd)
	tr, err = Parse(b2.blob())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Find("/odd").Reg(); err == nil || !strings.Contains(err.Error(), "multiple") {
		t.Errorf("odd reg: %v", err)
	}
	if _, err := (&Tree{Root: &Node{}}).Memory(); err == nil {
		t.Error("tree without memory: no error")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(virtBlob(f))
	f.Add(small().blob())
	f.Add([]byte{0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 40})
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := Parse(b)
		if err != nil {
			return
		}
		tr.Memory()
		tr.Bootargs()
		tr.Compatible("ns16550a")
		tr.Find("serial0")
		tr.Walk(func(n *Node) {
			n.Reg()
			n.Interrupts()
			n.Path()
			for _, p := range n.PropNames() {
				n.String(p)
				n.U32(p)
				n.Strings(p)
			}
		})
	})
}

func BenchmarkParseVirt(b *testing.B) {
	blob := virtBlob(b)
	b.SetBytes(int64(len(blob)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(blob); err != nil {
			b.Fatal(err)
		}
	}
}
