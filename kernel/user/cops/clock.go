package cops

import (
	"time"

	"copslab/kernel/user/internal/auxvdso"
	"copslab/kernel/user/internal/hpm"
)

// clock stamps the Local's events in nanoseconds since the machine's
// reset, the kernel's time base: rdtime ticks scaled by the timebase the
// kernel wrote into the vDSO's data page (no system call, a few
// instructions). Without a copslab vDSO (Linux) it counts from the
// executor's start with the Go clock.
type clock struct {
	nsPerTick uint64 // 0: use the Go clock
	start     time.Time
}

func (k *clock) init(copslabVDSO bool) {
	k.start = time.Now()
	if !copslabVDSO {
		return
	}
	if tb := auxvdso.Timebase(); tb > 0 && tb <= 1e9 && 1e9%tb == 0 {
		k.nsPerTick = 1e9 / tb
	}
}

func (k *clock) now() uint64 {
	if k.nsPerTick != 0 {
		return hpm.Time() * k.nsPerTick
	}
	return k.goNow()
}

func (k *clock) goNow() uint64 { return uint64(time.Since(k.start)) }
