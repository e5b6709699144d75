package image

import (
	"encoding/binary"
	"testing"
)

// runtimeLookup resolves a symbol the way Go's runtime does for the
// vDSO (runtime/vdso_linux.go): from the ELF header to the first
// PT_LOAD (load offset) and PT_DYNAMIC, from the dynamic tags to the
// string, symbol, hash, versym and verdef tables; the version's index
// from the Verdef entry with the given hash and name (not the base
// one); the symbol through the SysV hash chain, accepted only if it is
// a global defined function of that version. It returns the symbol's
// offset from the image's start, or ok=false where the runtime would
// fall back to the system call.
func runtimeLookup(img []byte, name string, symHash uint32, version string, verHash uint32) (uint64, bool) {
	le := binary.LittleEndian
	u16 := func(o uint64) uint16 { return le.Uint16(img[o:]) }
	u32 := func(o uint64) uint32 { return le.Uint32(img[o:]) }
	u64 := func(o uint64) uint64 { return le.Uint64(img[o:]) }
	cstr := func(o uint64) string {
		e := o
		for img[e] != 0 {
			e++
		}
		return string(img[o:e])
	}
	phoff, phnum := u64(32), uint64(u16(56))
	var loadOffset, dyn uint64
	found := false
	for i := uint64(0); i < phnum; i++ {
		ph := phoff + 56*i
		switch u32(ph) {
		case ptLoad:
			if !found {
				found, loadOffset = true, u64(ph+8)-u64(ph+16)
			}
		case ptDynamic:
			dyn = u64(ph + 8)
		}
	}
	if !found || dyn == 0 {
		return 0, false
	}
	var strtab, symtab, hash, versym, verdef uint64
	for d := dyn; u64(d) != dtNull; d += 16 {
		p := loadOffset + u64(d+8)
		switch u64(d) {
		case dtStrtab:
			strtab = p
		case dtSymtab:
			symtab = p
		case dtHash:
			hash = p
		case dtVersym:
			versym = p
		case dtVerdef:
			verdef = p
		}
	}
	if strtab == 0 || symtab == 0 || hash == 0 || verdef == 0 || versym == 0 {
		return 0, false
	}
	ver := int32(-1)
	for def := verdef; ; {
		if u16(def+2)&verFlgBase == 0 {
			aux := def + uint64(u32(def+12))
			if u32(def+8) == verHash && cstr(strtab+uint64(u32(aux))) == version {
				ver = int32(u16(def+4) & 0x7fff)
				break
			}
		}
		next := u32(def + 16)
		if next == 0 {
			break
		}
		def += uint64(next)
	}
	nbucket, nchain := u32(hash), u32(hash+4)
	if nbucket == 0 {
		return 0, false
	}
	bucket := func(i uint32) uint32 { return u32(hash + 8 + 4*uint64(i)) }
	chain := func(i uint32) uint32 { return u32(hash + 8 + 4*uint64(nbucket) + 4*uint64(i)) }
	for i := bucket(symHash % nbucket); i != 0 && i < nchain; i = chain(i) {
		sym := symtab + 24*uint64(i)
		info, shndx := img[sym+4], u16(sym+6)
		typ, bind := info&0xf, info>>4
		if typ != sttFunc && typ != 0 || bind != stbGlobal && bind != 2 || shndx == 0 {
			continue
		}
		if cstr(strtab+uint64(u32(sym))) != name {
			continue
		}
		if int32(u16(versym+2*uint64(i))&0x7fff) != ver {
			continue
		}
		return loadOffset + u64(sym+8), true
	}
	return 0, false
}

// TestRuntimeFindsClockGettime: Go's runtime lookup finds
// __vdso_clock_gettime with version LINUX_4.15 (the key and hashes of
// runtime/vdso_linux_riscv64.go) at the entry's offset, and finds
// nothing for a wrong version or name.
func TestRuntimeFindsClockGettime(t *testing.T) {
	im := image(t)
	off, ok := runtimeLookup(im.ELF, "__vdso_clock_gettime", 0xd35ec75, "LINUX_4.15", 0xae77f75)
	if !ok || off != im.Exports["__vdso_clock_gettime"] {
		t.Fatalf("lookup = %#x %v, want %#x", off, ok, im.Exports["__vdso_clock_gettime"])
	}
	if _, ok := runtimeLookup(im.ELF, "__vdso_clock_gettime", 0xd35ec75, "LINUX_2.6", elfHash("LINUX_2.6")); ok {
		t.Error("found with a version the image does not define")
	}
	if _, ok := runtimeLookup(im.ELF, "__vdso_clock_getres", elfHash("__vdso_clock_getres"), "LINUX_4.15", 0xae77f75); ok {
		t.Error("found a symbol the image does not export")
	}
	// Every export resolves the same way under its own version.
	for name, want := range im.Exports {
		v := ExportVersion(name)
		if got, ok := runtimeLookup(im.ELF, name, elfHash(name), v, elfHash(v)); !ok || got != want {
			t.Errorf("%s: %#x %v, want %#x", name, got, ok, want)
		}
	}
}
