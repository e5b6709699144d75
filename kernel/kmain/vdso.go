//go:build copslab

package main

import (
	"fmt"
	"time"
	"unsafe" // the data page is viewed as a vdso.Data

	"copslab/kernel/proc"
	"copslab/vdso"
)

// The vDSO (copslab/vdso): kernel/build compiles the image and hands it
// over in vdsoImage (zz_vdso_gen.go, generated). At boot setupVDSO puts
// it in frames of the pool — the image's pages and one data page, about
// 16 KiB for the whole machine, never freed — fills the data page and
// tells kernel/proc to map them into every process. A process owns none
// of these frames and, placed beside its stack top, needs no extra page
// table for them (kernel/proc/vdso.go).
//
// The data page is the user clocks' one definition: the system calls
// clock_gettime and gettimeofday read it too (kenv.Now, kenv.Wall), so a
// program that mixes both paths sees one clock.

// vdsoImage is the vDSO's ELF file ("" if the kernel was built without it).
var vdsoImage string

// vdsoUintrHandler is the offset of __vdso_cops_uintr_handler in the
// image (0: none), also generated.
var vdsoUintrHandler uint64

// vdsoData is the data page, nil until setupVDSO.
var vdsoData *vdso.Data

// setupVDSO loads the image and fills the data page. Without an image
// or a frame pool processes get no vDSO (and time.Now traps).
func (m *machine) setupVDSO() {
	if vdsoImage == "" || m.frames == nil {
		return
	}
	n := int(vdso.DataOffset(len(vdsoImage)) / proc.PageSize)
	v := &proc.VDSO{UintrHandler: vdsoUintrHandler}
	for i := 0; i <= n; i++ {
		pa, ok := m.frames.Alloc()
		if !ok {
			fmt.Printf("copslab: vdso: no frame for page %d of %d\n", i, n+1)
			return
		}
		page := userPhys.Bytes(pa, proc.PageSize)
		clear(page)
		if i == n {
			v.Data = pa
			vdsoData = (*vdso.Data)(unsafe.Pointer(&page[0]))
			break
		}
		copy(page, vdsoImage[i*proc.PageSize:])
		v.Code = append(v.Code, pa)
	}
	syncVDSOClock()
	if err := proc.SetVDSO(v); err != nil {
		fmt.Printf("copslab: vdso: %v\n", err)
		vdsoData = nil
	}
}

// syncVDSOClock sets the data page's timebase and offsets from the
// kernel's clocks: CLOCK_MONOTONIC is the time since reset,
// CLOCK_REALTIME the kernel's wall clock (set from the RTC).
func syncVDSOClock() {
	ticks, hz := rtMtime()
	wall := time.Now().UnixNano()
	vdsoData.Set(hz, 0, 0)
	vdsoData.Set(hz, 0, wall-vdsoData.Monotonic(ticks))
}

// userMonotonic and userRealtime are the user clocks (the system calls'
// answers): from the data page once it exists.
func userMonotonic(boot time.Time) int64 {
	if vdsoData == nil {
		return int64(time.Since(boot))
	}
	ticks, _ := rtMtime()
	return vdsoData.Monotonic(ticks)
}

func userRealtime() int64 {
	if vdsoData == nil {
		return time.Now().UnixNano()
	}
	ticks, _ := rtMtime()
	return vdsoData.Realtime(ticks)
}
