package image

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// The image's ELF file, laid out as Linux's vDSO is: a shared object
// (ET_DYN) linked at address 0 whose single PT_LOAD covers the whole
// file, so file offsets are addresses; a PT_DYNAMIC segment whose
// DT_STRTAB, DT_SYMTAB, DT_HASH, DT_VERSYM and DT_VERDEF lead to the
// exported symbols and their versions. That is exactly what Go's
// runtime (runtime/vdso_linux.go) and C libraries walk from
// AT_SYSINFO_EHDR. Section headers are included too, so debug/elf,
// readelf and gdb see the same symbols.
//
//	0x00   ELF header
//	0x40   program headers: PT_LOAD, PT_DYNAMIC
//	       .hash            SysV hash table: nbucket, nchain, buckets, chains
//	       .dynsym          symbol 0 is the null symbol
//	       .dynstr
//	       .gnu.version     one version index per symbol
//	       .gnu.version_d   the file's base definition, then one per version
//	       .dynamic
//	       .text            16-byte aligned: entry code, then the Go functions
//	       .shstrtab
//	       section headers
//
// The data page is not part of the file: it is mapped at the first page
// boundary after it (vdso.DataOffset), where the entry code finds it
// pc-relatively.

// ELF constants (System V gABI; GNU symbol versioning).
const (
	etDyn        = 3
	emRISCV      = 243
	efFloatABID  = 0x4 // EF_RISCV_FLOAT_ABI_DOUBLE, as Go's own binaries
	ptLoad       = 1
	ptDynamic    = 2
	pfX, pfR     = 1, 4
	shtProgbits  = 1
	shtStrtab    = 3
	shtHash      = 5
	shtDynamic   = 6
	shtDynsym    = 11
	shtVerdef    = 0x6ffffffd
	shtVersym    = 0x6fffffff
	shfAlloc     = 2
	shfExec      = 4
	dtNull       = 0
	dtHash       = 4
	dtStrtab     = 5
	dtSymtab     = 6
	dtStrsz      = 10
	dtSyment     = 11
	dtSoname     = 14
	dtVersym     = 0x6ffffff0
	dtVerdef     = 0x6ffffffc
	dtVerdefnum  = 0x6ffffffd
	verFlgBase   = 1
	stbGlobal    = 1
	sttFunc      = 2
	symSize      = 24
	verdefSize   = 20
	verdauxSize  = 8
	textSection  = 7 // index of .text in the section headers
	sectionCount = 9
)

// Soname is the file's name in its base version definition and
// DT_SONAME, as Linux's riscv64 vDSO calls itself.
const Soname = "linux-vdso.so.1"

// dynSym is one exported symbol: an offset into the text, a size and
// the name of its version.
type dynSym struct {
	name    string
	off     uint64
	size    uint64
	version string
}

// elfHash is the System V ABI's symbol hash (also used for version
// names in Verdef entries).
func elfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}

// writeELF builds the file around text (placed at textOff, which the
// caller got from textOffset with the same symbols and versions).
func writeELF(text []byte, syms []dynSym, versions []string) ([]byte, uint64) {
	// String table: "", soname, versions, symbol names.
	var strtab bytes.Buffer
	str := func(s string) uint32 {
		off := uint32(strtab.Len())
		strtab.WriteString(s)
		strtab.WriteByte(0)
		return off
	}
	str("")
	sonameOff := str(Soname)
	verName := map[string]uint32{}
	verIndex := map[string]uint16{}
	for i, v := range versions {
		verName[v], verIndex[v] = str(v), uint16(i+2) // 1 is the base
	}
	symName := make([]uint32, len(syms))
	for i, s := range syms {
		symName[i] = str(s.name)
	}

	le := binary.LittleEndian
	var f []byte
	pad := func(align int) {
		for len(f)%align != 0 {
			f = append(f, 0)
		}
	}
	f = make([]byte, 64+2*56)

	pad(8)
	hashOff := len(f)
	nsym := uint32(len(syms) + 1)
	nbucket := max(1, nsym/2)
	buckets := make([]uint32, nbucket)
	chains := make([]uint32, nsym)
	for i := len(syms) - 1; i >= 0; i-- { // build so that lookups meet lower indices first
		b := elfHash(syms[i].name) % nbucket
		chains[i+1] = buckets[b]
		buckets[b] = uint32(i + 1)
	}
	f = le.AppendUint32(f, nbucket)
	f = le.AppendUint32(f, nsym)
	for _, b := range buckets {
		f = le.AppendUint32(f, b)
	}
	for _, c := range chains {
		f = le.AppendUint32(f, c)
	}

	pad(8)
	symOff := len(f)
	f = append(f, make([]byte, symSize)...) // symbol 0
	textOff := textOffset(syms, versions)
	for i, s := range syms {
		f = le.AppendUint32(f, symName[i])
		f = append(f, stbGlobal<<4|sttFunc, 0)
		f = le.AppendUint16(f, textSection)
		f = le.AppendUint64(f, textOff+s.off)
		f = le.AppendUint64(f, s.size)
	}

	strOff := len(f)
	f = append(f, strtab.Bytes()...)

	pad(2)
	versymOff := len(f)
	f = le.AppendUint16(f, 0) // symbol 0: local
	for _, s := range syms {
		f = le.AppendUint16(f, verIndex[s.version])
	}

	pad(4)
	verdefOff := len(f)
	defs := append([]string{Soname}, versions...)
	for i, v := range defs {
		flags, name := uint16(0), verName[v]
		if i == 0 {
			flags, name = verFlgBase, sonameOff
		}
		next := uint32(verdefSize + verdauxSize)
		if i == len(defs)-1 {
			next = 0
		}
		f = le.AppendUint16(f, 1) // vd_version
		f = le.AppendUint16(f, flags)
		f = le.AppendUint16(f, uint16(i+1)) // vd_ndx
		f = le.AppendUint16(f, 1)           // vd_cnt
		f = le.AppendUint32(f, elfHash(v))
		f = le.AppendUint32(f, verdefSize) // vd_aux
		f = le.AppendUint32(f, next)
		f = le.AppendUint32(f, name) // vda_name
		f = le.AppendUint32(f, 0)    // vda_next
	}

	pad(8)
	dynOff := len(f)
	for _, d := range [][2]uint64{
		{dtHash, uint64(hashOff)}, {dtStrtab, uint64(strOff)}, {dtSymtab, uint64(symOff)},
		{dtStrsz, uint64(strtab.Len())}, {dtSyment, symSize}, {dtSoname, uint64(sonameOff)},
		{dtVersym, uint64(versymOff)}, {dtVerdef, uint64(verdefOff)}, {dtVerdefnum, uint64(len(defs))},
		{dtNull, 0},
	} {
		f = le.AppendUint64(f, d[0])
		f = le.AppendUint64(f, d[1])
	}
	dynEnd := len(f)

	pad(16)
	if uint64(len(f)) != textOff {
		panic(fmt.Sprintf("vdso: text at %#x, expected %#x", len(f), textOff))
	}
	f = append(f, text...)

	shstr := []byte("\x00.hash\x00.dynsym\x00.dynstr\x00.gnu.version\x00.gnu.version_d\x00.dynamic\x00.text\x00.shstrtab\x00")
	shstrOff := len(f)
	f = append(f, shstr...)
	pad(8)
	shOff := len(f)
	name := func(s string) uint32 { return uint32(bytes.Index(shstr, []byte("\x00"+s+"\x00")) + 1) }
	type sh struct {
		name           string
		typ, flags     uint32
		off, size      int
		link, info     uint32
		align, entsize uint64
	}
	for _, s := range []sh{
		{},
		{".hash", shtHash, shfAlloc, hashOff, symOff - hashOff, 2, 0, 8, 4},
		{".dynsym", shtDynsym, shfAlloc, symOff, strOff - symOff, 3, 1, 8, symSize},
		{".dynstr", shtStrtab, shfAlloc, strOff, strtab.Len(), 0, 0, 1, 0},
		{".gnu.version", shtVersym, shfAlloc, versymOff, 2 * int(nsym), 2, 0, 2, 2},
		{".gnu.version_d", shtVerdef, shfAlloc, verdefOff, len(defs) * (verdefSize + verdauxSize), 3, uint32(len(defs)), 4, 0},
		{".dynamic", shtDynamic, shfAlloc, dynOff, dynEnd - dynOff, 3, 0, 8, 16},
		{".text", shtProgbits, shfAlloc | shfExec, int(textOff), len(text), 0, 0, 16, 0},
		{".shstrtab", shtStrtab, 0, shstrOff, len(shstr), 0, 0, 1, 0},
	} {
		n := uint32(0)
		if s.name != "" {
			n = name(s.name)
		}
		f = le.AppendUint32(f, n)
		f = le.AppendUint32(f, s.typ)
		f = le.AppendUint64(f, uint64(s.flags))
		f = le.AppendUint64(f, uint64(s.off)) // sh_addr = offset (linked at 0)
		f = le.AppendUint64(f, uint64(s.off))
		f = le.AppendUint64(f, uint64(s.size))
		f = le.AppendUint32(f, s.link)
		f = le.AppendUint32(f, s.info)
		f = le.AppendUint64(f, s.align)
		f = le.AppendUint64(f, s.entsize)
	}

	// ELF header and program headers.
	h := f[:64]
	copy(h, "\x7fELF\x02\x01\x01")
	le.PutUint16(h[16:], etDyn)
	le.PutUint16(h[18:], emRISCV)
	le.PutUint32(h[20:], 1)
	le.PutUint64(h[32:], 64) // e_phoff
	le.PutUint64(h[40:], uint64(shOff))
	le.PutUint32(h[48:], efFloatABID)
	le.PutUint16(h[52:], 64)
	le.PutUint16(h[54:], 56)
	le.PutUint16(h[56:], 2)
	le.PutUint16(h[58:], 64)
	le.PutUint16(h[60:], sectionCount)
	le.PutUint16(h[62:], sectionCount-1)
	ph := func(at int, typ, flags uint32, off, size, align uint64) {
		p := f[at : at+56]
		le.PutUint32(p, typ)
		le.PutUint32(p[4:], flags)
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], off)
		le.PutUint64(p[24:], off)
		le.PutUint64(p[32:], size)
		le.PutUint64(p[40:], size)
		le.PutUint64(p[48:], align)
	}
	ph(64, ptLoad, pfR|pfX, 0, uint64(len(f)), 0x1000)
	ph(64+56, ptDynamic, pfR, uint64(dynOff), uint64(dynEnd-dynOff), 8)
	return f, textOff
}

// textOffset is where writeELF puts the text for these symbols and
// versions (it depends only on the tables before it).
func textOffset(syms []dynSym, versions []string) uint64 {
	n := 64 + 2*56
	nsym := len(syms) + 1
	n += 8 + 4*(max(1, nsym/2)+nsym) // hash
	n = (n + 7) &^ 7
	n += symSize * nsym
	strs := 1 + len(Soname) + 1
	for _, v := range versions {
		strs += len(v) + 1
	}
	for _, s := range syms {
		strs += len(s.name) + 1
	}
	n += strs
	n = (n + 1) &^ 1
	n += 2 * nsym
	n = (n + 3) &^ 3
	n += (1 + len(versions)) * (verdefSize + verdauxSize)
	n = (n + 7) &^ 7
	n += 10 * 16
	return uint64((n + 15) &^ 15)
}
