//go:build copslab

package main

import (
	"fmt"
	"strconv"
	"strings"

	"copslab/kernel/kalloc"
)

// Memory for user processes.
//
// The frame pool (kalloc) holds every user page and page table; what
// is left of RAM stays with the kernel's own Go heap. The pool is sized
// from the RAM the runtime found free at boot: the kernel keeps a
// quarter of it, but at least kernelReserve (its self-tests and heap
// need about that much), and never more than three quarters; the pool
// gets the rest. At -m 512M that is a 320 MiB pool, at -m 64M 11 MiB.
//
// One process may own at most half of the pool (so one memory hog
// cannot starve the rest), unless the boot argument procmem=SIZE (K, M
// or G suffix, e.g. `-append "procmem=200M run NAME"`) sets the limit;
// it must lie between 1 MiB and the pool's size. Boot arguments of the
// form key=value come before the mode.

// kernelReserve is the least RAM the kernel keeps for its own heap.
const kernelReserve = 48 << 20

// framePoolSize is the pool taken from free bytes of RAM.
func framePoolSize(free uint64) uint64 {
	keep := max(free/4, kernelReserve)
	keep = min(keep, free/4*3)
	return (free - keep) &^ (kalloc.PageSize - 1)
}

// bootOptions takes the leading key=value words off the boot arguments
// and applies them; it returns the rest (the mode and its arguments).
func (m *machine) bootOptions(args []string) ([]string, error) {
	for len(args) > 0 && strings.Contains(args[0], "=") {
		key, val, _ := strings.Cut(args[0], "=")
		switch key {
		case "procmem":
			n, err := parseSize(val)
			if err != nil {
				return nil, fmt.Errorf("procmem=%s: %v", val, err)
			}
			pool := uint64(0)
			if m.frames != nil {
				pool = uint64(m.frames.Total()) * kalloc.PageSize
			}
			if n < 1<<20 || n > pool {
				return nil, fmt.Errorf("procmem=%s: must lie between 1M and the frame pool's %dM", val, pool>>20)
			}
			m.procPages = int(n / kalloc.PageSize)
		case "kgdb":
			if err := m.startKernelStub(val); err != nil {
				return nil, err
			}
		case "tick":
			if err := setTick(val); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown boot option %q (known: procmem=SIZE, kgdb=wait|run, tick=HZ)", args[0])
		}
		args = args[1:]
	}
	return args, nil
}

// parseSize reads a byte count with an optional K, M or G suffix.
func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > 1<<40/mult {
		return 0, fmt.Errorf("not a size (e.g. 96M)")
	}
	return n * mult, nil
}

// procLimit is the number of pages one process may own.
func (m *machine) procLimit() int {
	if m.procPages > 0 {
		return m.procPages
	}
	return m.frames.Total() / 2
}
