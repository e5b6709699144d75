// Package ustack builds a new process's initial user stack the way Linux
// lays it out on riscv64 (fs/binfmt_elf.c create_elf_tables, fs/exec.c
// copy_strings; the psABI's process initialization), so that the Go
// runtime's rt0 code finds argc, argv, envp and the auxiliary vector where
// it expects them.
//
// Layout, addresses growing upwards, every pointer an absolute user address:
//
//	top ───────────► ┌──────────────────────────────┐
//	                 │ 8 zero bytes (end marker)    │
//	                 │ execfn "path\0"              │ ◄─ AT_EXECFN
//	                 │ envp strings "K=V\0" ...     │
//	                 │ argv strings "arg\0" ...     │  (argv[0] lowest)
//	                 │ 0..15 bytes padding          │  (16-byte boundary)
//	                 │ platform "riscv64\0"         │ ◄─ AT_PLATFORM
//	                 │ 16 random bytes              │ ◄─ AT_RANDOM
//	                 │ 0..15 bytes padding          │
//	                 ├──────────────────────────────┤
//	                 │ AT_NULL, 0                   │
//	                 │ aux pairs (key, value) ...   │  caller's order
//	                 │ 0                            │
//	                 │ envp[0..n-1] pointers        │
//	                 │ 0                            │
//	                 │ argv[0..argc-1] pointers     │
//	sp (16-aligned)► │ argc                         │
//	                 └──────────────────────────────┘
//
// Build returns sp and the bytes of [sp, top); the kernel copies them into
// the stack pages and starts the thread with that sp (a0..a7 are not part
// of the contract; Go's _rt0_riscv64_linux reads argc at 0(sp), argv at
// 8(sp)).
//
// Linux on riscv64 defines no platform string, so it has no AT_PLATFORM;
// Build adds one (Go ignores it). Apart from that string the image is byte
// for byte what qemu-user (which mirrors Linux's create_elf_tables without
// stack randomisation) builds: TestMatchesQemuUser compares the two.
package ustack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"copslab/kernel/uabi"
)

// Limits on what a caller may pass (Linux: MAX_ARG_STRLEN, and ARG_MAX
// derived from the stack limit; ours are fixed because the kernel gives a
// new process a small initial stack).
const (
	MaxStringLen = 128 << 10 // one argument or environment string, NUL included
	MaxImageSize = 512 << 10 // the whole image, strings and vectors
	MaxAux       = 64        // caller's aux pairs
	Platform     = "riscv64" // AT_PLATFORM string
)

// ErrTooBig is wrapped by errors for arguments over the limits; the kernel
// reports it as E2BIG.
var ErrTooBig = errors.New("ustack: argument list too long")

// AuxPair is one auxiliary vector entry (uabi.AT_* key).
type AuxPair struct{ Key, Val uint64 }

// Build lays out argv, envp and the auxiliary vector below top. The
// caller's aux entries are kept in order; AT_RANDOM (random), AT_EXECFN
// (argv[0], or "" without arguments) and AT_PLATFORM get their addresses
// filled in where the caller placed those keys (any value), and are
// appended in that order if absent; AT_NULL ends the vector. top must be
// 16-byte aligned.
func Build(top uint64, argv, envp []string, aux []AuxPair, random [16]byte) (sp uint64, image []byte, err error) {
	return build(top, argv, envp, aux, random, Platform)
}

// build is Build with the platform string as a parameter ("" = none, as
// on Linux riscv64).
func build(top uint64, argv, envp []string, aux []AuxPair, random [16]byte, platform string) (uint64, []byte, error) {
	aux, err := completeAux(aux, platform != "")
	if err != nil {
		return 0, nil, err
	}
	if err := check(top, argv, envp); err != nil {
		return 0, nil, err
	}
	execfn := ""
	if len(argv) > 0 {
		execfn = argv[0]
	}
	words := 1 + len(argv) + 1 + len(envp) + 1 + 2*len(aux)
	size := 8 + len(execfn) + 1 + 15 + len(platform) + 1 + len(random) + 15 + 8*words
	for _, list := range [][]string{argv, envp} {
		for _, s := range list {
			if size += len(s) + 1; size > MaxImageSize {
				break
			}
		}
	}
	if size > MaxImageSize {
		return 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooBig, size, MaxImageSize)
	}

	l := newLayout(top, size)
	l.putBytes(make([]byte, 8))
	addrs := map[uint64]uint64{uabi.AT_EXECFN: l.putString(execfn)}
	envAt := l.putStrings(envp)
	argAt := l.putStrings(argv)
	l.alignDown(16, 0)
	if platform != "" {
		addrs[uabi.AT_PLATFORM] = l.putString(platform)
	}
	addrs[uabi.AT_RANDOM] = l.putBytes(random[:])

	l.alignDown(16, words*8)
	vec := make([]uint64, 0, words)
	vec = append(vec, uint64(len(argv)))
	vec = append(append(vec, argAt...), 0)
	vec = append(append(vec, envAt...), 0)
	for _, a := range aux {
		if v, ok := addrs[a.Key]; ok {
			a.Val = v
		}
		vec = append(vec, a.Key, a.Val)
	}
	for i := len(vec) - 1; i >= 0; i-- {
		l.putWord(vec[i])
	}
	return l.sp, l.image(), nil
}

// completeAux returns a copy of aux with AT_RANDOM, AT_EXECFN and (if
// platform) AT_PLATFORM present once each and AT_NULL at the end.
func completeAux(aux []AuxPair, platform bool) ([]AuxPair, error) {
	if len(aux) > MaxAux {
		return nil, fmt.Errorf("%w: %d aux entries, limit %d", ErrTooBig, len(aux), MaxAux)
	}
	seen := map[uint64]bool{}
	for _, a := range aux {
		switch {
		case a.Key == uabi.AT_NULL:
			return nil, fmt.Errorf("ustack: aux key AT_NULL is added by Build")
		case a.Key == uabi.AT_PLATFORM && !platform:
			return nil, fmt.Errorf("ustack: AT_PLATFORM without a platform string")
		case seen[a.Key]:
			return nil, fmt.Errorf("ustack: aux key %d given twice", a.Key)
		}
		seen[a.Key] = true
	}
	out := append(make([]AuxPair, 0, len(aux)+4), aux...)
	for _, k := range []uint64{uabi.AT_RANDOM, uabi.AT_EXECFN, uabi.AT_PLATFORM} {
		if !seen[k] && (k != uabi.AT_PLATFORM || platform) {
			out = append(out, AuxPair{Key: k})
		}
	}
	return append(out, AuxPair{Key: uabi.AT_NULL}), nil
}

// check validates Build's arguments.
func check(top uint64, argv, envp []string) error {
	if top%16 != 0 {
		return fmt.Errorf("ustack: top %#x not 16-byte aligned", top)
	}
	if top < MaxImageSize {
		return fmt.Errorf("ustack: top %#x too low for a %d-byte stack image", top, MaxImageSize)
	}
	for _, list := range [][]string{argv, envp} {
		for i, s := range list {
			if strings.IndexByte(s, 0) >= 0 {
				return fmt.Errorf("ustack: string %d contains a NUL byte", i)
			}
			if len(s)+1 > MaxStringLen {
				return fmt.Errorf("%w: string %d is %d bytes, limit %d", ErrTooBig, i, len(s)+1, MaxStringLen)
			}
		}
	}
	return nil
}

// layout fills a byte image downwards from top.
type layout struct {
	top, sp uint64
	buf     []byte // buf[i] is the byte at top-len(buf)+i
	pos     int    // buf[pos:] is filled
}

// newLayout prepares an image of at most size bytes below top.
func newLayout(top uint64, size int) *layout {
	return &layout{top: top, sp: top, buf: make([]byte, size), pos: size}
}

// putBytes stores b just below the current sp and returns its address.
func (l *layout) putBytes(b []byte) uint64 {
	l.pos -= len(b)
	copy(l.buf[l.pos:], b)
	l.sp -= uint64(len(b))
	return l.sp
}

func (l *layout) putString(s string) uint64 {
	l.pos--
	l.buf[l.pos] = 0
	l.sp--
	l.pos -= len(s)
	copy(l.buf[l.pos:], s)
	l.sp -= uint64(len(s))
	return l.sp
}

// putStrings stores ss so that ss[0] ends up lowest, and returns their
// addresses in ss order.
func (l *layout) putStrings(ss []string) []uint64 {
	at := make([]uint64, len(ss))
	for i := len(ss) - 1; i >= 0; i-- {
		at[i] = l.putString(ss[i])
	}
	return at
}

// alignDown pads so that, after n more bytes, sp is a multiple of a.
func (l *layout) alignDown(a uint64, n int) {
	final := (l.sp - uint64(n)) &^ (a - 1)
	pad := int(l.sp - uint64(n) - final)
	l.pos -= pad
	clear(l.buf[l.pos : l.pos+pad])
	l.sp -= uint64(pad)
}

func (l *layout) putWord(v uint64) {
	l.pos -= 8
	binary.LittleEndian.PutUint64(l.buf[l.pos:], v)
	l.sp -= 8
}

func (l *layout) image() []byte { return l.buf[l.pos:] }
