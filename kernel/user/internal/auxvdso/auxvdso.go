// Package auxvdso finds the vDSO the kernel maps into a program: its
// address from the auxiliary vector (AT_SYSINFO_EHDR) and its dynamic
// symbols, read with debug/elf from the mapped bytes. For the test
// programs that call it directly (vdsosched, timenow -abi).
package auxvdso

import (
	"bytes"
	"debug/elf"
	"fmt"
	"unsafe"
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
	auxv := getAuxv()
	var base uintptr
	for i := 0; i+1 < len(auxv); i += 2 {
		if auxv[i] == atSysinfoEhdr {
			base = auxv[i+1]
		}
	}
	if base == 0 {
		return 0, nil, fmt.Errorf("no AT_SYSINFO_EHDR")
	}
	// The image's one PT_LOAD covers the file up to its section headers.
	// It is memory the kernel mapped, outside Go's heap: viewed through
	// a pointer made from the address (the form vet accepts).
	p := *(*unsafe.Pointer)(unsafe.Pointer(&base))
	hdr := unsafe.Slice((*byte)(p), 64)
	shoff := *(*uint64)(unsafe.Pointer(&hdr[40]))
	shnum := uint64(*(*uint16)(unsafe.Pointer(&hdr[60])))
	f, err := elf.NewFile(bytes.NewReader(unsafe.Slice((*byte)(p), shoff+64*shnum)))
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
