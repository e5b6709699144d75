package image

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"copslab/kernel/uabi"
	"copslab/vdso"
)

// LinuxVersion is the symbol version Go's runtime (and C libraries)
// require of __vdso_clock_gettime on riscv64; SchedVersion is ours for
// the scheduler's functions.
const (
	LinuxVersion = "LINUX_4.15"
	SchedVersion = "COPSLAB_1"
)

// Entries are the image's C entry points.
var Entries = []Entry{
	{"__vdso_clock_gettime", LinuxVersion, Func{VDSOPkg, "ClockGettime"}, uabi.SYS_CLOCK_GETTIME},
	{"__vdso_gettimeofday", LinuxVersion, Func{VDSOPkg, "Gettimeofday"}, uabi.SYS_GETTIMEOFDAY},
}

// HandlerEntry is the emulated user-interrupt handler (the body is
// uintr.HandlerEntry; its fallback system call is the uiret): in the
// image whenever uintr's hot path is.
var HandlerEntry = Entry{"__vdso_cops_uintr_handler", SchedVersion, Func{UintrPkg, "HandlerEntry"}, uabi.NR_COPS_UIRET}

// ExportVersion is the symbol version of an exported name: an entry's
// own, else SchedVersion.
func ExportVersion(name string) string {
	for _, e := range append(Entries[:len(Entries):len(Entries)], HandlerEntry) {
		if e.Name == name {
			return e.Version
		}
	}
	return SchedVersion
}

// hotPaths reads the hot-path list of the module package pkg.
func hotPaths(root, pkg string) ([]Func, error) {
	names, err := ReadHotPath(filepath.Join(root, strings.TrimPrefix(pkg, "copslab/")))
	if err != nil {
		return nil, err
	}
	var fs []Func
	for _, n := range names {
		fs = append(fs, Func{pkg, n})
	}
	return fs, nil
}

// VDSOPkg holds the entries' bodies and its own hot-path list.
const VDSOPkg = "copslab/vdso"

// Options controls one image build.
type Options struct {
	Go      string // the go command; default "go"
	Root    string // module root (required)
	WorkDir string // for the generated program (required)
	// Funcs are the Go functions exported with SchedVersion besides the
	// entries' own (package vdso's hot path); default: the scheduler's
	// hot path and the user-interrupt handler's (ReadHotPath of each of
	// ExportPkgs).
	Funcs []Func
}

// Image is a built vDSO.
type Image struct {
	ELF []byte
	// Exports maps each exported symbol to its offset in ELF.
	Exports map[string]uint64
	// Inlined lists hot-path functions the compiler inlined into every
	// caller (nothing to export).
	Inlined []string
	// DataOffset is where the data page goes (vdso.DataOffset).
	DataOffset uint64
	// Saved lists, per entry, the C callee-saved registers its code
	// saves.
	Saved map[string][]uint32
}

// Build compiles the functions, checks them, and writes the image.
func Build(opts Options) (*Image, error) {
	if opts.Go == "" {
		opts.Go = "go"
	}
	funcs := opts.Funcs
	if funcs == nil {
		for _, pkg := range ExportPkgs {
			fs, err := hotPaths(opts.Root, pkg)
			if err != nil {
				return nil, err
			}
			funcs = append(funcs, fs...)
		}
	}
	own, err := hotPaths(opts.Root, VDSOPkg)
	if err != nil {
		return nil, err
	}
	all := append(append([]Func(nil), funcs...), own...)
	path, err := compile(opts.Go, opts.Root, opts.WorkDir, all)
	if err != nil {
		return nil, err
	}
	p, err := openProgram(path)
	if err != nil {
		return nil, err
	}
	defer p.f.Close()
	fns, inlined, err := extract(p, all)
	if err != nil {
		return nil, err
	}
	return link(fns, inlined, funcs)
}

// link lays out entries and functions, relocates, and writes the ELF.
func link(fns []*fn, inlined []string, exported []Func) (*Image, error) {
	set := map[uint64]*fn{}
	bySym := map[string]*fn{}
	for _, f := range fns {
		set[f.addr], bySym[f.Symbol()] = f, f
	}
	im := &Image{Exports: map[string]uint64{}, Inlined: inlined, Saved: map[string][]uint32{}}
	var syms []dynSym
	var codes []entryCode
	entries := Entries[:len(Entries):len(Entries)]
	if bySym[HandlerEntry.Body.Symbol()] != nil {
		entries = append(entries, HandlerEntry)
	}
	off := uint64(0)
	for _, e := range entries {
		body := bySym[e.Body.Symbol()]
		if body == nil {
			return nil, fmt.Errorf("vdso: entry %s: body %s missing", e.Name, e.Body.Symbol())
		}
		saved := savedRegs(body, set)
		ec := genEntry(e, saved)
		im.Saved[e.Name] = saved
		syms = append(syms, dynSym{e.Name, off, uint64(len(ec.code)), e.Version})
		codes = append(codes, ec)
		off += uint64(len(ec.code))
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].addr < fns[j].addr })
	for _, f := range fns {
		off = (off + 7) &^ 7
		f.off = off
		off += uint64(len(f.code))
		syms = append(syms, dynSym{f.Symbol(), f.off, uint64(len(f.code)), SchedVersion})
	}
	text := make([]byte, off)
	for _, f := range fns {
		if err := relocate(f, set); err != nil {
			return nil, err
		}
		copy(text[f.off:], f.code)
	}
	versions := []string{LinuxVersion, SchedVersion}
	textOff := textOffset(syms, versions)
	// The file's size does not depend on the text's contents: write it
	// once to learn where the data page goes, then patch the entries.
	f0, _ := writeELF(text, syms, versions)
	im.DataOffset = vdso.DataOffset(len(f0))
	at := uint64(0)
	for i, e := range entries {
		body := bySym[e.Body.Symbol()]
		if err := codes[i].patch(textOff+at, im.DataOffset, textOff+body.off); err != nil {
			return nil, fmt.Errorf("vdso: entry %s: %v", e.Name, err)
		}
		copy(text[at:], codes[i].code)
		at += uint64(len(codes[i].code))
	}
	im.ELF, _ = writeELF(text, syms, versions)
	for _, s := range syms {
		im.Exports[s.name] = textOff + s.off
	}
	return im, nil
}

// WriteFile builds the image and writes it to out.
func WriteFile(opts Options, out string) (*Image, error) {
	im, err := Build(opts)
	if err != nil {
		return nil, err
	}
	return im, os.WriteFile(out, im.ELF, 0o644)
}
