package main

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"copslab/kernel/user/cops"
)

// stackMove: a coroutine declares its buffer where a Go programmer
// would, as a local array, and waits in an async read of a pipe into it
// while the garbage collector runs twice — which shrinks, that is moves,
// the parked coroutine's big, mostly unused stack. Then the other
// coroutine writes a message the reader must find in its buffer. Package
// cops pins an async call's buffer (its array then lives on the heap);
// a buffer left on the stack would keep its old contents, the kernel
// having written into the stack's old copy. The run must see the stack
// move in at least one round (a local whose address is taken moves with
// it), or it proves nothing.
func stackMove(rounds int) (string, error) {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		return "", err
	}
	defer syscall.Close(p[0])
	defer syscall.Close(p[1])
	moved := 0
	err := run(func(c *cops.Co) error {
		for r := range rounds {
			want := []byte(fmt.Sprintf("round %03d: after the collector moved the reader's stack", r))
			var werr error
			c.Executor().Spawn(3, func(w *cops.Co) {
				runtime.GC() // the reader is parked in its read: its stack shrinks
				runtime.GC()
				_, werr = w.Write(p[1], want)
			})
			deep(200) // a stack of some 100 KiB, of which the read below uses little
			var buf [64]byte
			var probe byte
			before := uintptr(unsafe.Pointer(&probe))
			n, err := c.Read(p[0], buf[:])
			if uintptr(unsafe.Pointer(&probe)) != before {
				moved++
			}
			switch {
			case err != nil:
				return err
			case werr != nil:
				return werr
			case string(buf[:n]) != string(want):
				got := string(buf[:n]) // (a copy: buf itself must not escape here)
				return fmt.Errorf("round %d: read %q, want %q", r, got, want)
			}
		}
		return nil
	})
	if err == nil && moved == 0 {
		err = fmt.Errorf("the reader's stack never moved in %d rounds: nothing was shown", rounds)
	}
	return fmt.Sprintf("%d async reads into a local buffer, the reader's stack moved during %d of them, every message arrived", rounds, moved), err
}

// deep recurses n frames of half a KiB each, growing the stack.
//
//go:noinline
func deep(n int) byte {
	var pad [512]byte
	pad[n%512] = byte(n)
	if n == 0 {
		return pad[0]
	}
	return deep(n-1) + pad[n%512]
}
