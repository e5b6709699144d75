package uabi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// syscallTypes type-checks $GOROOT/src/syscall/ztypes_linux_riscv64.go on
// its own with riscv64 sizes (errors about names defined in other files
// are ignored; the structs used here are self-contained).
func syscallTypes(t *testing.T) (*types.Scope, types.Sizes) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, goroot("syscall", "ztypes_linux_riscv64.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	sizes := types.SizesFor("gc", "riscv64")
	conf := types.Config{Sizes: sizes, Error: func(error) {}}
	pkg, _ := conf.Check("syscall", fset, []*ast.File{f}, nil)
	return pkg.Scope(), sizes
}

func TestStructLayoutsMatchSyscallPackage(t *testing.T) {
	scope, sz := syscallTypes(t)
	st := func(name string) *types.Struct {
		obj := scope.Lookup(name)
		if obj == nil {
			t.Fatalf("syscall.%s not found", name)
		}
		return obj.Type().Underlying().(*types.Struct)
	}
	size := func(name string) int { return int(sz.Sizeof(st(name))) }
	checks := []struct {
		name      string
		got, want int
	}{
		{"Stat_t.Dev", offsetOf(t, sz, st("Stat_t"), "Dev"), StatDev},
		{"Stat_t.Ino", offsetOf(t, sz, st("Stat_t"), "Ino"), StatIno},
		{"Stat_t.Mode", offsetOf(t, sz, st("Stat_t"), "Mode"), StatMode},
		{"Stat_t.Nlink", offsetOf(t, sz, st("Stat_t"), "Nlink"), StatNlink},
		{"Stat_t.Uid", offsetOf(t, sz, st("Stat_t"), "Uid"), StatUID},
		{"Stat_t.Gid", offsetOf(t, sz, st("Stat_t"), "Gid"), StatGID},
		{"Stat_t.Rdev", offsetOf(t, sz, st("Stat_t"), "Rdev"), StatRdev},
		{"Stat_t.Size", offsetOf(t, sz, st("Stat_t"), "Size"), StatSize},
		{"Stat_t.Blksize", offsetOf(t, sz, st("Stat_t"), "Blksize"), StatBlksize},
		{"Stat_t.Blocks", offsetOf(t, sz, st("Stat_t"), "Blocks"), StatBlocks},
		{"Stat_t.Atim", offsetOf(t, sz, st("Stat_t"), "Atim"), StatAtime},
		{"Stat_t.Mtim", offsetOf(t, sz, st("Stat_t"), "Mtim"), StatMtime},
		{"Stat_t.Ctim", offsetOf(t, sz, st("Stat_t"), "Ctim"), StatCtime},
		{"sizeof Stat_t", size("Stat_t"), StatSizeBytes},
		{"Timespec.Nsec", offsetOf(t, sz, st("Timespec"), "Nsec"), TimespecNsec},
		{"sizeof Timespec", size("Timespec"), TimespecSize},
		{"sizeof Timeval", size("Timeval"), TimevalSize},
		{"Rlimit.Max", offsetOf(t, sz, st("Rlimit"), "Max"), RlimitMax},
		{"sizeof Rlimit", size("Rlimit"), RlimitSize},
		{"Iovec.Len", offsetOf(t, sz, st("Iovec"), "Len"), IovecLen},
		{"sizeof Iovec", size("Iovec"), IovecSize},
		{"EpollEvent.Fd", offsetOf(t, sz, st("EpollEvent"), "Fd"), EpollData},
		{"sizeof EpollEvent", size("EpollEvent"), EpollSize},
		{"sizeof Utsname", size("Utsname"), UtsnameSize},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: syscall package %d, uabi %d", c.name, c.got, c.want)
		}
	}
}
