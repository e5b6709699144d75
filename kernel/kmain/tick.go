//go:build copslab

package main

import (
	"fmt"
	"strconv"
)

// The tick rate for one boot: the boot option tick=HZ (e.g. `-append
// "tick=10000 run uintrlock"`) replaces the default tickHz from then on.
// Every tick is a trap that comes back to the run loop, so a user
// process is interrupted — and a pending user interrupt delivered at the
// pc the tick found — HZ times per second of guest time; the guest proof
// of the user-interrupt lock protocol boots with 10 kHz (100 µs; with
// -icount shift=0 that is 100,000 retired instructions). A kernel
// goroutine is still asked to yield after the same time on the CPU as at
// the default rate.

// Tick rates the option accepts.
const (
	minTickHz = 10
	maxTickHz = 20000
)

// setTick serves the boot option tick=HZ.
func setTick(val string) error {
	hz, err := strconv.ParseUint(val, 10, 32)
	if err != nil || hz < minTickHz || hz > maxTickHz {
		return fmt.Errorf("tick=%s: want a rate in Hz between %d and %d", val, minTickHz, maxTickHz)
	}
	rtHwinit1(&ticks, hz, uint32(max(1, preemptTicks*hz/tickHz)))
	return nil
}
