//go:build copslab

package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// checkScavenge: memory the runtime gave back (scavenged with madvise)
// and then reuses must come back zeroed. On Linux, Go's runtime counts
// on MADV_DONTNEED zero-filling the pages and skips clearing them; our
// madvise keeps the bytes (RAM is physical, nothing is given back), so
// the build edits needZeroAfterSysUnused to true (kernel/build/edits.go).
// Without that edit, reused spans kept stale bytes: new objects had
// garbage fields and the collector later found "pointers to free
// objects".
func checkScavenge(*machine) (string, error) {
	const size, count = 1 << 10, 8192 // 8 MiB of small objects
	fill := func() {
		keep := make([][]uint64, count)
		for i := range keep {
			keep[i] = make([]uint64, size/8)
			for j := range keep[i] {
				keep[i][j] = ^uint64(0)
			}
		}
		runtime.KeepAlive(keep)
	}
	fill()
	runtime.GC()
	debug.FreeOSMemory() // scavenge everything free
	dirty := 0
	again := make([][]uint64, count)
	for i := range again {
		again[i] = make([]uint64, size/8)
		for _, v := range again[i] {
			if v != 0 {
				dirty++
				break
			}
		}
	}
	runtime.KeepAlive(again)
	if dirty > 0 {
		return "", fmt.Errorf("%d of %d new %d KiB objects in reused scavenged memory were not zero", dirty, count, size>>10)
	}
	return fmt.Sprintf("%d new %d KiB objects in scavenged memory all zero", count, size>>10), nil
}
