package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"

	"copslab/kernel/uabi"
)

// memory is the fuzzer's own memory that arguments may point into, each
// region followed by an inaccessible guard page so a length that runs past
// the end makes the kernel fail with EFAULT instead of overwriting the Go
// heap:
//
//	scratch  64 KiB read-write: buffers, structs, iovecs (random bytes)
//	names     4 KiB read-only: NUL-separated file names of [a-z0-9_-]
//	          (never "/" or "."), so paths stay in the current directory
//	arena   256 KiB read-write: what mprotect/madvise/mlock/... act on
type memory struct {
	scratch, names, arena []byte
}

const (
	pageSize     = 4096
	scratchSize  = 64 << 10
	namesSize    = pageSize
	arenaSize    = 256 << 10
	nameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-"
)

func newMemory(seed uint64) (*memory, error) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var m memory
	var err error
	if m.scratch, err = guarded(scratchSize); err != nil {
		return nil, err
	}
	for i := range m.scratch {
		m.scratch[i] = byte(rng.Uint32())
	}
	if m.names, err = guarded(namesSize); err != nil {
		return nil, err
	}
	for i := range m.names {
		if rng.IntN(8) == 0 {
			m.names[i] = 0
		} else {
			m.names[i] = nameAlphabet[rng.IntN(len(nameAlphabet))]
		}
	}
	if err := syscall.Mprotect(m.names, syscall.PROT_READ); err != nil {
		return nil, fmt.Errorf("mprotect names: %v", err)
	}
	if m.arena, err = guarded(arenaSize); err != nil {
		return nil, err
	}
	return &m, nil
}

// guarded maps size bytes followed by a PROT_NONE page.
func guarded(size int) ([]byte, error) {
	b, err := syscall.Mmap(-1, 0, size+pageSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("mmap: %v", err)
	}
	if err := syscall.Mprotect(b[size:], syscall.PROT_NONE); err != nil {
		return nil, fmt.Errorf("mprotect guard: %v", err)
	}
	return b[:size:size], nil
}

func addr(b []byte) uintptr { return uintptrOf(&b[0]) }

// number draws a system call number: mostly named calls, sometimes a gap
// in the table or a number far beyond it.
func (f *fuzzer) number() uintptr {
	switch n := f.rng.IntN(100); {
	case n < 90:
		for {
			nr := f.rng.Uint64N(uabi.NSyscalls)
			if !strings.HasPrefix(uabi.SyscallName(nr), "sys_") {
				return uintptr(nr)
			}
		}
	case n < 95:
		return uintptr(f.rng.Uint64N(uabi.NSyscalls + 64))
	default:
		return uintptr(f.rng.Uint64())
	}
}

// arg draws one argument from a mix of values kernels mishandle: zero,
// small numbers, -1, AT_FDCWD, sizes, pointers into the fuzzer's memory
// (including its last bytes), bad pointers, and random words. Random 32-bit
// values have bit 31 set so they can never point into the program image.
func (f *fuzzer) arg() uintptr {
	m := f.mem
	switch f.rng.IntN(14) {
	case 0:
		return 0
	case 1:
		return uintptr(f.rng.IntN(4))
	case 2:
		return uintptr(f.rng.IntN(64))
	case 3:
		return ^uintptr(0)
	case 4:
		return atFDCWD
	case 5:
		return uintptr(pageSize * (1 + f.rng.IntN(64)))
	case 6:
		return addr(m.scratch) + uintptr(f.rng.IntN(scratchSize))
	case 7:
		return addr(m.scratch) + scratchSize - uintptr(1+f.rng.IntN(64))
	case 8:
		return f.name()
	case 9:
		return f.badPointer()
	case 10:
		return uintptr(f.rng.Uint32() | 1<<31)
	case 11:
		return uintptr(1) << f.rng.IntN(64)
	case 12:
		return addr(m.arena) + uintptr(f.rng.IntN(arenaSize/pageSize))*pageSize
	default:
		return uintptr(f.rng.Uint64())
	}
}

// name returns a pointer into the read-only names page.
func (f *fuzzer) name() uintptr {
	return addr(f.mem.names) + uintptr(f.rng.IntN(namesSize))
}

// badPointer returns an address no user program may touch: page zero, a
// guard page, the top of the address space, a non-canonical address.
func (f *fuzzer) badPointer() uintptr {
	switch f.rng.IntN(5) {
	case 0:
		return uintptr(f.rng.IntN(pageSize))
	case 1:
		return addr(f.mem.scratch) + scratchSize
	case 2:
		return 0xffffffffffff0000
	case 3:
		return 0x8000000000000000
	default:
		return 0x3fffffffff00 // just below 2^46, unmapped
	}
}

// atFDCWD is AT_FDCWD (-100) as a register value.
const atFDCWD = ^uintptr(99)
