//go:build copslab

package main

// Goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c; Android goldfish
// spec): reading TIME_LOW latches the 64-bit nanoseconds since the Unix
// epoch, TIME_HIGH then returns the upper half.
const (
	rtcTimeLow  = 0x00
	rtcTimeHigh = 0x04
)

// setWallClock reads the RTC named in the FDT, if any, and hands the
// time to the runtime layer, so time.Now is the host's date rather than
// 1970 + uptime. It reports whether an RTC was found.
func (m *machine) setWallClock() bool {
	if m.rtc == 0 {
		return false
	}
	at, _ := rtMtime()
	lo := rtLoad32(uintptr(m.rtc + rtcTimeLow))
	hi := rtLoad32(uintptr(m.rtc + rtcTimeHigh))
	rtSetWallClock(int64(uint64(hi)<<32|uint64(lo)), at)
	return true
}
