package build

import (
	"fmt"
	"strings"
)

// An edit replaces Old by New in one upstream runtime file. Count is the
// exact number of matches expected; anything else fails the build.
type edit struct {
	File  string // path below $GOROOT/src/runtime
	Name  string // short label used in error messages
	Old   string
	New   string
	Count int
}

// runtimeEdits are the only changes made to upstream runtime files.
//
// The first group makes the runtime single-threaded the way the wasm port
// is: the kernel has one hart and no clone(2), so there must be no sysmon,
// no template thread, and LockOSThread must not hand the P to a new M (the
// runtime locks the main goroutine to M0 during init and would otherwise
// wait forever for an M that is never created). copslabBareMetal is
// defined in kernel/rt/rt.go.
//
// heapAddrBits shrinks the heap address space from 48 bits to
// copslabHeapAddrBits. The page allocator reserves its summaries and
// scavenger index in proportion to it (about 1 GB at 48 bits, all PROT_NONE
// under Linux); without paging every reserved byte needs real RAM.
//
// logHeapArenaBytes shrinks heap arenas from 64 MiB to 4 MiB (the size
// 64-bit Windows uses). The heap grows an arena at a time and reserves
// size+alignment to align it: 128 MiB of RAM at 64 MiB arenas, which
// does not fit a 128 MiB machine.
var runtimeEdits = []edit{
	{File: "proc.go", Name: "no sysmon",
		Old:   `const haveSysmon = GOARCH != "wasm"`,
		New:   `const haveSysmon = GOARCH != "wasm" && !copslabBareMetal`,
		Count: 1},
	{File: "proc.go", Name: "no template thread",
		Old:   `if GOARCH == "wasm" { // no threads on wasm yet`,
		New:   `if GOARCH == "wasm" || copslabBareMetal { // no threads on wasm yet`,
		Count: 1},
	{File: "proc.go", Name: "goexit0 keeps the M",
		Old:   `if GOARCH == "wasm" { // no threads yet on wasm`,
		New:   `if GOARCH == "wasm" || copslabBareMetal { // no threads yet on wasm`,
		Count: 1},
	{File: "proc.go", Name: "LockOSThread is a no-op",
		Old:   "if GOARCH == \"wasm\" {\n\t\treturn // no threads on wasm yet",
		New:   "if GOARCH == \"wasm\" || copslabBareMetal {\n\t\treturn // no threads on wasm yet",
		Count: 2},
	{File: "debug.go", Name: "GOMAXPROCS clamp",
		Old:   `if GOARCH == "wasm" && n > 1 {`,
		New:   `if (GOARCH == "wasm" || copslabBareMetal) && n > 1 {`,
		Count: 1},
	{File: "malloc.go", Name: "heapAddrBits",
		Old:   "\theapAddrBits = (_64bit*(1-goarch.IsWasm)*(1-goos.IsIos*goarch.IsArm64))*48 + (1-_64bit+goarch.IsWasm)*(32-(goarch.IsMips+goarch.IsMipsle)) + 40*goos.IsIos*goarch.IsArm64\n",
		New:   "\theapAddrBits = copslabHeapAddrBits + 0*((_64bit*(1-goarch.IsWasm)*(1-goos.IsIos*goarch.IsArm64))*48+(1-_64bit+goarch.IsWasm)*(32-(goarch.IsMips+goarch.IsMipsle))+40*goos.IsIos*goarch.IsArm64)\n",
		Count: 1},
	{File: "mem_linux.go", Name: "scavenged pages are not zero",
		Old:   "\treturn debug.madvdontneed == 0\n",
		New:   "\treturn debug.madvdontneed == 0 || copslabBareMetal\n",
		Count: 1},
	{File: "malloc.go", Name: "logHeapArenaBytes",
		Old:   "\tlogHeapArenaBytes = (6+20)*(_64bit*(1-goos.IsWindows)*(1-goarch.IsWasm)*(1-goos.IsIos*goarch.IsArm64)) + (2+20)*(_64bit*goos.IsWindows) + (2+20)*(1-_64bit) + (9+10)*goarch.IsWasm + (2+20)*goos.IsIos*goarch.IsArm64\n",
		New:   "\tlogHeapArenaBytes = copslabLogHeapArenaBytes + 0*((6+20)*(_64bit*(1-goos.IsWindows)*(1-goarch.IsWasm)*(1-goos.IsIos*goarch.IsArm64))+(2+20)*(_64bit*goos.IsWindows)+(2+20)*(1-_64bit)+(9+10)*goarch.IsWasm+(2+20)*goos.IsIos*goarch.IsArm64)\n",
		Count: 1},
}

// applyEdits applies every edit for file to src and returns the result.
func applyEdits(goVersion, file, src string, edits []edit) (string, error) {
	for _, e := range edits {
		if e.File != file {
			continue
		}
		if n := strings.Count(src, e.Old); n != e.Count {
			return "", fmt.Errorf("kernel build: Go %s: runtime/%s: edit %q expects %d match(es) of %q, found %d; "+
				"the kernel's runtime edits (kernel/build/edits.go) do not fit this Go version",
				goVersion, file, e.Name, e.Count, firstLine(e.Old), n)
		}
		src = strings.ReplaceAll(src, e.Old, e.New)
	}
	return src, nil
}

// editedFiles lists the distinct files touched by edits, in order.
func editedFiles(edits []edit) []string {
	var files []string
	seen := map[string]bool{}
	for _, e := range edits {
		if !seen[e.File] {
			seen[e.File] = true
			files = append(files, e.File)
		}
	}
	return files
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + "…"
	}
	return s
}
