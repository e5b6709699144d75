package boards

import (
	"fmt"
	"strconv"
	"strings"
)

// Size units accepted in profiles, as QEMU's -m option spells them
// (binary multiples: 1M = 1 MiB).
var sizeUnits = map[string]uint64{
	"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
}

// ParseSize parses a memory size such as "512M" or "2G" into bytes.
// A unit is required: a bare "512" is ambiguous (QEMU reads it as MiB).
func ParseSize(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 {
		if i < 0 && s != "" {
			return 0, fmt.Errorf("size %q has no unit (write e.g. %sM)", s, s)
		}
		return 0, fmt.Errorf("size %q: want a number with a unit K, M, G or T (e.g. 512M)", s)
	}
	mult, ok := sizeUnits[s[i:]]
	if !ok {
		return 0, fmt.Errorf("size %q: unknown unit %q (want K, M, G or T)", s, s[i:])
	}
	n, err := strconv.ParseUint(s[:i], 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("size %q: want a positive number", s)
	}
	if n > (^uint64(0))/mult {
		return 0, fmt.Errorf("size %q overflows 64 bits", s)
	}
	return n * mult, nil
}

// FormatSize writes bytes in the largest QEMU unit that divides it exactly
// ("512M", "2G"); sizes that are not a multiple of 1 KiB are written in bytes.
func FormatSize(b uint64) string {
	for _, u := range []struct {
		suffix string
		mult   uint64
	}{{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if b >= u.mult && b%u.mult == 0 {
			return strconv.FormatUint(b/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatUint(b, 10)
}
