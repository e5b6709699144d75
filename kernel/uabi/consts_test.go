package uabi

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// consts evaluates the simple constant declarations of Go source files
// (literals, references to earlier constants, unary and binary operators,
// one-argument conversions) into name → value. It is enough for the
// toolchain's generated zerrors/zsysnum/defs files and for this package,
// and needs no type information, so it reads riscv64 files on any host.
func consts(t *testing.T, files ...string) map[string]constant.Value {
	t.Helper()
	out := map[string]constant.Value{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if v := eval(vs.Values[i], out); v != nil {
							out[n.Name] = v
						}
					}
				}
			}
		}
	}
	return out
}

func eval(e ast.Expr, env map[string]constant.Value) constant.Value {
	switch e := e.(type) {
	case *ast.BasicLit:
		return constant.MakeFromLiteral(e.Value, e.Kind, 0)
	case *ast.Ident:
		return env[e.Name]
	case *ast.ParenExpr:
		return eval(e.X, env)
	case *ast.CallExpr:
		if len(e.Args) == 1 {
			return eval(e.Args[0], env)
		}
	case *ast.UnaryExpr:
		if x := eval(e.X, env); x != nil {
			return constant.UnaryOp(e.Op, x, 0)
		}
	case *ast.BinaryExpr:
		x, y := eval(e.X, env), eval(e.Y, env)
		if x == nil || y == nil {
			return nil
		}
		if e.Op == token.SHL {
			s, _ := constant.Uint64Val(y)
			return constant.Shift(x, token.SHL, uint(s))
		}
		return constant.BinaryOp(x, e.Op, y)
	}
	return nil
}

func ownConsts(t *testing.T) map[string]constant.Value {
	files, _ := filepath.Glob("*.go")
	var src []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			src = append(src, f)
		}
	}
	return consts(t, src...)
}

// compare checks every constant of ours that the reference also defines
// (under refName(name)) and returns how many matched.
func compare(t *testing.T, ours, ref map[string]constant.Value, refName func(string) string) int {
	t.Helper()
	n := 0
	for name, v := range ours {
		r, ok := ref[refName(name)]
		if !ok {
			continue
		}
		// Compare as 64-bit patterns: references write -1 style and
		// 0xffffffff style values for the same bits.
		a, _ := constant.Int64Val(constant.BinaryOp(v, token.AND, constant.MakeUint64(^uint64(0))))
		b, _ := constant.Int64Val(constant.BinaryOp(r, token.AND, constant.MakeUint64(^uint64(0))))
		if constant.Compare(v, token.NEQ, r) && a != b {
			t.Errorf("%s = %v, reference %s = %v", name, v, refName(name), r)
		}
		n++
	}
	return n
}

func goroot(parts ...string) string {
	return filepath.Join(append([]string{runtime.GOROOT(), "src"}, parts...)...)
}

func TestConstantsMatchGoSyscallPackage(t *testing.T) {
	ours := ownConsts(t)
	ref := consts(t, goroot("syscall", "zerrors_linux_riscv64.go"), goroot("syscall", "zsysnum_linux_riscv64.go"))
	// Go's old syscall package names newfstatat SYS_FSTATAT.
	n := compare(t, ours, ref, func(s string) string {
		if s == "SYS_NEWFSTATAT" {
			return "SYS_FSTATAT"
		}
		return s
	})
	if n < 200 {
		t.Errorf("only %d constants checked against package syscall; expected ≥ 200", n)
	}
	t.Logf("%d constants match $GOROOT/src/syscall (linux/riscv64)", n)
}

func TestConstantsMatchGoRuntime(t *testing.T) {
	ours := ownConsts(t)
	ref := consts(t, goroot("runtime", "defs_linux_riscv64.go"))
	n := compare(t, ours, ref, func(s string) string { return "_" + s })
	if n < 60 {
		t.Errorf("only %d constants checked against the runtime; expected ≥ 60", n)
	}
	t.Logf("%d constants match $GOROOT/src/runtime/defs_linux_riscv64.go", n)
}

// TestSyscallTable compares the whole name table with Go's syscall package
// and, when golang.org/x/sys is in the module cache, with x/sys/unix (which
// also has the numbers above 294).
func TestSyscallTable(t *testing.T) {
	check := func(file string) int {
		ref := consts(t, file)
		n := 0
		for name, v := range ref {
			if !strings.HasPrefix(name, "SYS_") {
				continue
			}
			nr, _ := constant.Uint64Val(v)
			if nr >= 244 && nr <= 257 {
				continue // SYS_ARCH_SPECIFIC_SYSCALL marker
			}
			want := strings.ToLower(strings.TrimPrefix(name, "SYS_"))
			if want == "fstatat" {
				want = "newfstatat"
			}
			if got := SyscallName(nr); got != want {
				t.Errorf("%s: number %d is %q in our table", file, nr, got)
			}
			n++
		}
		return n
	}
	n := check(goroot("syscall", "zsysnum_linux_riscv64.go"))
	if n < 250 {
		t.Errorf("only %d syscall numbers checked", n)
	}
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	xsys := filepath.Join(strings.TrimSpace(string(dir)), "unix", "zsysnum_linux_riscv64.go")
	if _, serr := os.Stat(xsys); err != nil || serr != nil {
		t.Logf("golang.org/x/sys not in the module cache; checked %d numbers against package syscall only", n)
		return
	}
	t.Logf("checked %d numbers against syscall and %d against %s", n, check(xsys), xsys)
}

func TestSyscallLookups(t *testing.T) {
	if nr, ok := SyscallNumber("rt_sigreturn"); !ok || nr != SYS_RT_SIGRETURN {
		t.Errorf("SyscallNumber(rt_sigreturn) = %d, %v", nr, ok)
	}
	if _, ok := SyscallNumber(""); ok {
		t.Error("empty name found")
	}
	if got := SyscallName(250); got != "sys_250" {
		t.Errorf("SyscallName(250) = %q", got)
	}
	if got := SyscallName(1 << 40); got != "sys_1099511627776" {
		t.Errorf("SyscallName(1<<40) = %q", got)
	}
	count := 0
	Syscalls(func(nr uint64, name string) {
		if back, _ := SyscallNumber(name); back != nr {
			t.Errorf("%s: %d round-trips to %d", name, nr, back)
		}
		count++
	})
	if count < 300 {
		t.Errorf("table has %d entries", count)
	}
}
