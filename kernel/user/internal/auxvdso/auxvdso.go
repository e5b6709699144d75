// Package auxvdso finds the vDSO the kernel maps into a program: its
// address from the auxiliary vector (AT_SYSINFO_EHDR) and its dynamic
// symbols, read with debug/elf from the mapped bytes. For the test
// programs that call it directly (vdsosched, timenow -abi).
package auxvdso

import (
	"bytes"
	"debug/elf"
	"fmt"
	"sync/atomic"
	"unsafe"

	"copslab/vdso"
)

// getAuxv returns the auxiliary vector the kernel passed (the runtime
// keeps it; golang.org/x/sys/unix reads it the same way).
//
//go:linkname getAuxv runtime.getAuxv
func getAuxv() []uintptr

const atSysinfoEhdr = 33

// Image returns the vDSO's address and its dynamic symbols (name →
// offset from the address).
func Image() (uintptr, map[string]uint64, error) {
	base, size := mapped()
	if base == 0 {
		return 0, nil, fmt.Errorf("no AT_SYSINFO_EHDR")
	}
	f, err := elf.NewFile(bytes.NewReader(view(base, size)))
	if err != nil {
		return 0, nil, err
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		return 0, nil, err
	}
	m := map[string]uint64{}
	for _, s := range syms {
		m[s.Name] = s.Value
	}
	return base, m, nil
}

// Aux returns the auxiliary vector's value for key (0 if absent).
func Aux(key uintptr) uintptr {
	auxv := getAuxv()
	for i := 0; i+1 < len(auxv); i += 2 {
		if auxv[i] == key {
			return auxv[i+1]
		}
	}
	return 0
}

// mapped returns the vDSO's address and the length of its file image
// (0, 0 without one). The image's one PT_LOAD covers the file up to its
// section headers, which end it.
func mapped() (base uintptr, size uint64) {
	base = Aux(atSysinfoEhdr)
	if base == 0 {
		return 0, 0
	}
	hdr := view(base, 64)
	shoff := *(*uint64)(unsafe.Pointer(&hdr[40]))
	shnum := uint64(*(*uint16)(unsafe.Pointer(&hdr[60])))
	return base, shoff + 64*shnum
}

// view is n bytes of memory the kernel mapped at addr, outside Go's
// heap, seen through a pointer made from the address (the form vet
// accepts).
func view(addr uintptr, n uint64) []byte {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&addr))
	return unsafe.Slice((*byte)(p), n)
}

// Timebase returns the timer frequency (ticks of rdtime per second) the
// kernel wrote into our vDSO's data page, the first page boundary after
// the image (vdso.DataOffset). Call it only when Image found copslab's
// scheduler in the vDSO: another system's vDSO has no such page.
func Timebase() uint64 {
	base, size := mapped()
	if base == 0 {
		return 0
	}
	d := (*vdso.Data)(unsafe.Pointer(&view(base+uintptr(vdso.DataOffset(int(size))), vdso.DataSize)[0]))
	return atomic.LoadUint64(&d.Timebase)
}
