package uabi

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"testing"
)

// runtimeTypes type-checks the named struct types of
// $GOROOT/src/runtime/defs_linux_riscv64.go with riscv64 sizes, so the test
// measures the layout the Go runtime really uses on riscv64.
func runtimeTypes(t *testing.T, names ...string) (map[string]*types.Struct, types.Sizes) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, goroot("runtime", "defs_linux_riscv64.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var src bytes.Buffer
	src.WriteString("package p\n")
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			if want[ts.Name.Name] {
				src.WriteString("type ")
				printer.Fprint(&src, fset, ts)
				src.WriteString("\n")
			}
		}
	}
	pf, err := parser.ParseFile(fset, "p.go", src.Bytes(), 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, src.Bytes())
	}
	sizes := types.SizesFor("gc", "riscv64")
	pkg, err := (&types.Config{Sizes: sizes}).Check("p", fset, []*ast.File{pf}, nil)
	if err != nil {
		t.Fatalf("type-check runtime structs: %v", err)
	}
	out := map[string]*types.Struct{}
	for _, n := range names {
		obj := pkg.Scope().Lookup(n)
		if obj == nil {
			t.Fatalf("runtime type %s not found", n)
		}
		out[n] = obj.Type().Underlying().(*types.Struct)
	}
	return out, sizes
}

func offsetOf(t *testing.T, sizes types.Sizes, s *types.Struct, field string) int {
	t.Helper()
	var fields []*types.Var
	for i := 0; i < s.NumFields(); i++ {
		fields = append(fields, s.Field(i))
	}
	offs := sizes.Offsetsof(fields)
	for i, f := range fields {
		if f.Name() == field {
			return int(offs[i])
		}
	}
	t.Fatalf("no field %s", field)
	return 0
}

func TestSigframeLayoutMatchesGoRuntime(t *testing.T) {
	ts, sz := runtimeTypes(t, "user_regs_struct", "user_fpregs_struct", "usigset",
		"sigcontext", "stackt", "ucontext", "sigactiont", "siginfoFields")
	checks := []struct {
		name      string
		got, want int
	}{
		{"ucontext.uc_flags", offsetOf(t, sz, ts["ucontext"], "uc_flags"), UcFlags},
		{"ucontext.uc_link", offsetOf(t, sz, ts["ucontext"], "uc_link"), UcLink},
		{"ucontext.uc_stack", offsetOf(t, sz, ts["ucontext"], "uc_stack"), UcStack},
		{"ucontext.uc_sigmask", offsetOf(t, sz, ts["ucontext"], "uc_sigmask"), UcSigmask},
		{"ucontext.uc_mcontext", offsetOf(t, sz, ts["ucontext"], "uc_mcontext"), UcMcontext},
		{"sizeof ucontext", int(sz.Sizeof(ts["ucontext"])), UcontextSize},
		{"sigcontext.sc_regs", offsetOf(t, sz, ts["sigcontext"], "sc_regs"), ScRegs},
		{"sigcontext.sc_fpregs", offsetOf(t, sz, ts["sigcontext"], "sc_fpregs"), ScFpregs},
		{"sizeof sigcontext", int(sz.Sizeof(ts["sigcontext"])), SigcontextSize},
		{"sizeof user_fpregs_struct", int(sz.Sizeof(ts["user_fpregs_struct"])), FpStateSize},
		{"stackt.ss_sp", offsetOf(t, sz, ts["stackt"], "ss_sp"), StackSp},
		{"stackt.ss_flags", offsetOf(t, sz, ts["stackt"], "ss_flags"), StackFlags},
		{"stackt.ss_size", offsetOf(t, sz, ts["stackt"], "ss_size"), StackSize},
		{"sizeof stackt", int(sz.Sizeof(ts["stackt"])), StackTSize},
		{"sigactiont.sa_handler", offsetOf(t, sz, ts["sigactiont"], "sa_handler"), SaHandler},
		{"sigactiont.sa_flags", offsetOf(t, sz, ts["sigactiont"], "sa_flags"), SaFlags},
		{"sigactiont.sa_mask", offsetOf(t, sz, ts["sigactiont"], "sa_mask"), SaMask},
		{"siginfo.si_signo", offsetOf(t, sz, ts["siginfoFields"], "si_signo"), SiSigno},
		{"siginfo.si_errno", offsetOf(t, sz, ts["siginfoFields"], "si_errno"), SiErrno},
		{"siginfo.si_code", offsetOf(t, sz, ts["siginfoFields"], "si_code"), SiCode},
		{"siginfo.si_addr", offsetOf(t, sz, ts["siginfoFields"], "si_addr"), SiAddr},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: Go runtime %d, uabi %d", c.name, c.got, c.want)
		}
	}
	if SigframeSize%16 != 0 || SigframeUc%16 != 0 || (SigframeUc+UcMcontext)%16 != 0 {
		t.Errorf("frame %d / uc %d / mcontext %d not 16-byte aligned", SigframeSize, SigframeUc, SigframeUc+UcMcontext)
	}
	// sc_regs is pc then x1..x31 in ABI-name order.
	abi := []string{"pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
		"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
		"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"}
	regs := ts["user_regs_struct"]
	for n, name := range abi {
		if off := offsetOf(t, sz, regs, name); off != ScReg(n) {
			t.Errorf("register %s (x%d): Go runtime offset %d, ScReg %d", name, n, off, ScReg(n))
		}
	}
	if FrameReg(RegA0) != 128+176+80 {
		t.Errorf("FrameReg(a0) = %d", FrameReg(RegA0))
	}
	if ScFcsr != 256+256 || ScFreg(31) != 256+248 {
		t.Errorf("fp offsets: fcsr %d f31 %d", ScFcsr, ScFreg(31))
	}
}

func TestSiginfoSizeMatchesRuntime(t *testing.T) {
	ref := consts(t, goroot("runtime", "os_linux.go"))
	v, ok := ref["_si_max_size"]
	if !ok {
		t.Fatal("_si_max_size not found in runtime/os_linux.go")
	}
	if v.String() != "128" || SiginfoSize != 128 {
		t.Errorf("siginfo size: runtime %s, uabi %d", v, SiginfoSize)
	}
}

func TestErrnoEncoding(t *testing.T) {
	if Errno(ENOSYS) != ^uint64(0)-37 {
		t.Errorf("Errno(ENOSYS) = %#x", Errno(ENOSYS))
	}
	if SigBit(SIGURG) != 1<<22 {
		t.Errorf("SigBit(SIGURG) = %#x", SigBit(SIGURG))
	}
}
