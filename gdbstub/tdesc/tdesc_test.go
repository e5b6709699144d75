package tdesc

import (
	"fmt"
	"strings"
	"testing"
)

// files imitates the shape of QEMU 7.2's RISC-V description: a top file
// including per-feature files, registers with and without regnum.
var files = map[string]string{
	"target.xml": `<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd">
<target><architecture>riscv:rv64</architecture>
<xi:include href="cpu.xml"/><xi:include href="fpu.xml"/><xi:include href="csr.xml"/></target>`,
	"cpu.xml": `<feature name="org.gnu.gdb.riscv.cpu">
<reg name="zero" bitsize="64" type="int" regnum="0"/><reg name="ra" bitsize="64" type="code_ptr"/>
<reg name="sp" bitsize="64" type="data_ptr"/><reg name="pc" bitsize="64" type="code_ptr" regnum="3"/></feature>`,
	"fpu.xml": `<feature name="org.gnu.gdb.riscv.fpu"><reg name="ft0" bitsize="64" type="ieee_double"/>
<reg name="fcsr" bitsize="32" type="int" regnum="6"/></feature>`,
	"csr.xml": `<feature name="org.gnu.gdb.riscv.csr"><reg name="mstatus" bitsize="64" regnum="836"/></feature>`,
}

func fetchMap(m map[string]string) Fetch {
	return func(annex string) ([]byte, error) {
		s, ok := m[annex]
		if !ok {
			return nil, fmt.Errorf("no annex %s", annex)
		}
		return []byte(s), nil
	}
}

func TestLoad(t *testing.T) {
	l, err := Load(fetchMap(files))
	if err != nil {
		t.Fatal(err)
	}
	if l.Arch != "riscv:rv64" {
		t.Errorf("Arch = %q", l.Arch)
	}
	want := map[string]int{"zero": 0, "ra": 1, "sp": 2, "pc": 3, "ft0": 4, "fcsr": 6, "mstatus": 836}
	for name, num := range want {
		r, ok := l.ByName(name)
		if !ok || r.Num != num {
			t.Errorf("%s: num %d (found %v), want %d", name, r.Num, ok, num)
		}
	}
	if r, _ := l.ByNum(6); r.Name != "fcsr" || r.Size() != 4 || r.Feature != "org.gnu.gdb.riscv.fpu" {
		t.Errorf("ByNum(6) = %+v", r)
	}
	slots := l.GPacket(4 * 8)
	if len(slots) != 4 || slots[3].Name != "pc" || slots[3].Offset != 24 {
		t.Errorf("GPacket(32) = %+v", slots)
	}
	// ft0 (num 4) follows pc, fcsr (num 6) does not follow ft0: stop there.
	if s := l.GPacket(1000); len(s) != 5 {
		t.Errorf("GPacket(1000) has %d slots, want 5", len(s))
	}
}

func TestLoadErrors(t *testing.T) {
	tests := map[string]map[string]string{
		"missing include": {"target.xml": `<target><xi:include href="nope.xml"/></target>`},
		"bad bitsize":     {"target.xml": `<target><feature name="f"><reg name="a" bitsize="0"/></feature></target>`},
		"loop":            {"target.xml": `<target><xi:include href="target.xml"/></target>`},
		"bad xml":         {"target.xml": `<target><reg name="a" bitsize="8"`},
	}
	for name, m := range tests {
		if _, err := Load(fetchMap(m)); err == nil {
			t.Errorf("%s: Load succeeded", name)
		} else if !strings.HasPrefix(err.Error(), "tdesc:") {
			t.Errorf("%s: error without label: %v", name, err)
		}
	}
}
