package fdt

import (
	"encoding/binary"
	"fmt"
)

// Header constants, Devicetree Specification v0.4 §5.2.
const (
	Magic      = 0xd00dfeed
	headerSize = 40
	// Version 17 is current; 16 has the same layout for what we read.
	minVersion = 16
	maxCompat  = 17
)

// header is the FDT header (spec Table 5.1), all fields big-endian u32.
type header struct {
	magic           uint32 // 0x00
	totalSize       uint32 // 0x04
	offStruct       uint32 // 0x08
	offStrings      uint32 // 0x0c
	offMemRsvmap    uint32 // 0x10
	version         uint32 // 0x14
	lastCompVersion uint32 // 0x18
	bootCPUID       uint32 // 0x1c
	sizeStrings     uint32 // 0x20
	sizeStruct      uint32 // 0x24
}

var be = binary.BigEndian

// TotalSize reads the blob's total size from the first 8 bytes of a header,
// so a caller holding only a pointer knows how many bytes to take.
func TotalSize(hdr []byte) (uint32, error) {
	if len(hdr) < 8 {
		return 0, fmt.Errorf("fdt: header needs 8 bytes, have %d", len(hdr))
	}
	if m := be.Uint32(hdr); m != Magic {
		return 0, fmt.Errorf("fdt: bad magic %#x, want %#x", m, Magic)
	}
	n := be.Uint32(hdr[4:])
	if n < headerSize {
		return 0, fmt.Errorf("fdt: totalsize %d smaller than the header", n)
	}
	return n, nil
}

// readHeader decodes and checks the header of blob (len(blob) == totalsize).
func readHeader(blob []byte) (header, error) {
	var h header
	if len(blob) < headerSize {
		return h, fmt.Errorf("fdt: blob of %d bytes is shorter than the header", len(blob))
	}
	f := func(i int) uint32 { return be.Uint32(blob[4*i:]) }
	h = header{f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7), f(8), f(9)}
	if h.version < minVersion || h.lastCompVersion > maxCompat {
		return h, fmt.Errorf("fdt: version %d (last compatible %d) not supported, want 16..17", h.version, h.lastCompVersion)
	}
	if err := within("structure block", h.offStruct, h.sizeStruct, h.totalSize); err != nil {
		return h, err
	}
	if err := within("strings block", h.offStrings, h.sizeStrings, h.totalSize); err != nil {
		return h, err
	}
	if h.offMemRsvmap < headerSize || h.offMemRsvmap%8 != 0 || h.offMemRsvmap >= h.totalSize {
		return h, fmt.Errorf("fdt: memory reservation block offset %#x invalid", h.offMemRsvmap)
	}
	if h.offStruct%4 != 0 {
		return h, fmt.Errorf("fdt: structure block offset %#x not 4-aligned", h.offStruct)
	}
	return h, nil
}

// within checks that [off, off+size) lies inside a blob of total bytes.
func within(what string, off, size, total uint32) error {
	if off < headerSize || uint64(off)+uint64(size) > uint64(total) {
		return fmt.Errorf("fdt: %s [%#x, +%#x) outside the blob of %#x bytes", what, off, size, total)
	}
	return nil
}

// readReservations reads the memory reservation block (spec §5.3): u64
// pairs up to a (0, 0) entry, which must lie inside the blob.
func readReservations(blob []byte, off uint32) ([]Region, error) {
	var out []Region
	for p := uint64(off); ; p += 16 {
		if p+16 > uint64(len(blob)) {
			return nil, fmt.Errorf("fdt: memory reservation block not terminated")
		}
		r := Region{Base: be.Uint64(blob[p:]), Size: be.Uint64(blob[p+8:])}
		if r.Base == 0 && r.Size == 0 {
			return out, nil
		}
		out = append(out, r)
	}
}
