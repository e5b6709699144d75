// Command stackdump prints its own initial stack as the system built it,
// for ustack's comparison test: the auxiliary vector (from /proc/self/auxv),
// the stack mapping's end, sp at entry, and the bytes of [sp, top) in hex.
//
// The Go runtime keeps argv strings in place (os.Args points into the
// initial stack), so sp is found as 8 bytes below the word that points to
// argv[0]'s string.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

func main() {
	auxv, err := os.ReadFile("/proc/self/auxv")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	for i := 0; i+16 <= len(auxv); i += 16 {
		fmt.Printf("aux %d %d\n", binary.LittleEndian.Uint64(auxv[i:]), binary.LittleEndian.Uint64(auxv[i+8:]))
	}
	arg0 := uintptr(unsafe.Pointer(unsafe.StringData(os.Args[0])))
	top := mappingEnd(arg0)
	if top == 0 {
		fmt.Println("error: argv[0] not in any mapping")
		os.Exit(1)
	}
	p := arg0 &^ 7
	for *(*uintptr)(unsafe.Pointer(p)) != arg0 {
		p -= 8
	}
	sp := p - 8
	fmt.Printf("top %d\nsp %d\n", top, sp)
	fmt.Printf("dump %x\n", unsafe.Slice((*byte)(unsafe.Pointer(sp)), top-sp))
}

// mappingEnd returns the end of the /proc/self/maps range holding a.
func mappingEnd(a uintptr) uintptr {
	maps, _ := os.ReadFile("/proc/self/maps")
	for _, line := range strings.Split(string(maps), "\n") {
		r, _, _ := strings.Cut(line, " ")
		lo, hi, ok := strings.Cut(r, "-")
		if !ok {
			continue
		}
		l, _ := strconv.ParseUint(lo, 16, 64)
		h, _ := strconv.ParseUint(hi, 16, 64)
		if uintptr(l) <= a && a < uintptr(h) {
			return uintptr(h)
		}
	}
	return 0
}
