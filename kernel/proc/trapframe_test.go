package proc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestTrapFrameLayout parses the runtime layer's bmUserFrame (whose
// offsets the assembly takes from go_asm.h) and checks that TrapFrame
// has the same fields at the same offsets, and that both match the
// offsets written in TrapFrame's comment.
func TestTrapFrameLayout(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../rt/user.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var st *ast.StructType
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == "bmUserFrame" {
			st, _ = ts.Type.(*ast.StructType)
		}
		return st == nil
	})
	if st == nil {
		t.Fatal("bmUserFrame not found in kernel/rt/user.go")
	}
	type field struct {
		name string
		off  uintptr
	}
	var rt []field
	off := uintptr(0)
	for _, fl := range st.Fields.List {
		size := uintptr(0)
		switch ty := fl.Type.(type) {
		case *ast.Ident:
			if ty.Name != "uint64" {
				t.Fatalf("field type %s: only uint64 and [N]uint64 are expected", ty.Name)
			}
			size = 8
		case *ast.ArrayType:
			n, err := strconv.Atoi(ty.Len.(*ast.BasicLit).Value)
			if err != nil || ty.Elt.(*ast.Ident).Name != "uint64" {
				t.Fatalf("unexpected array field %v", fl.Names)
			}
			size = 8 * uintptr(n)
		default:
			t.Fatalf("unexpected field type in bmUserFrame")
		}
		for _, n := range fl.Names {
			rt = append(rt, field{n.Name, off})
			off += size
		}
	}
	typ := reflect.TypeOf(TrapFrame{})
	if typ.NumField() != len(rt) || typ.Size() != off {
		t.Fatalf("TrapFrame has %d fields, %d bytes; bmUserFrame %d fields, %d bytes", typ.NumField(), typ.Size(), len(rt), off)
	}
	want := map[string]uintptr{"X": 0, "F": 256, "FCSR": 512, "PC": 520, "Cause": 528, "Tval": 536,
		"SATP": 544, "KSP": 552, "KRA": 560, "KG": 568}
	for i, r := range rt {
		sf := typ.Field(i)
		if !strings.EqualFold(sf.Name, r.name) || sf.Offset != r.off {
			t.Errorf("field %d: TrapFrame.%s at %d, bmUserFrame.%s at %d", i, sf.Name, sf.Offset, r.name, r.off)
		}
		if w, ok := want[sf.Name]; !ok || w != sf.Offset {
			t.Errorf("TrapFrame.%s at %d, documented %d", sf.Name, sf.Offset, w)
		}
	}
	if typ.Size() != 576 {
		t.Errorf("size %d, documented 576", typ.Size())
	}
}
