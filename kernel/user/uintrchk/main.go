// Command uintrchk checks user-space interrupts and async system calls
// on the copslab kernel (kernel/proc/uintr.go, package cops's Read,
// Write and Sleep). One check per run, named by the first argument:
//
//	uintrchk wait [-n N] [-d DUR] [-slack DUR]
//	                                one coroutine makes N async sleeps of DUR, nothing else runs:
//	                                the kernel's trace then shows whether the process was placed
//	                                while it waited (with a timer slack longer than DUR: never)
//	uintrchk pipe                   async reads and writes of pipes between coroutines, and
//	                                of the console; results and data checked
//	uintrchk stress [-n N] [-c C]   N async calls (sleeps of 0 and pipe round trips) over C
//	                                coroutines: every call completes exactly once with its own
//	                                result (run 4 side by side: runall)
//	uintrchk slots [-c C] [-d DUR]  C coroutines each make one async sleep of DUR at once, more
//	                                than the receiver's ring holds in flight: the calls the
//	                                kernel refuses wait for a free slot, and every one completes
//	uintrchk stackmove [-n N]       N async reads into a coroutine's local buffer while the garbage
//	                                collector moves the coroutine's stack: every message arrives
//	uintrchk nogrant                a send through an entry nobody granted fails with EPERM;
//	                                one granted to itself is delivered
//	uintrchk badhandler             registers a handler outside its text and makes an async call:
//	                                the kernel kills it at the delivery
//
// Each prints "uintrchk: CHECK: ok: …" and exits 0, or says what failed
// and exits 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/uabi"
	"copslab/kernel/user/cops"
	"copslab/kernel/user/internal/hpm"
	"copslab/uintr"
)

func main() {
	if len(os.Args) < 2 {
		fail(errors.New("name a check: wait, pipe, stress, slots, stackmove, nogrant, badhandler"))
	}
	check, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(check, flag.ExitOnError)
	n := fs.Int("n", 1000, "calls")
	c := fs.Int("c", 16, "coroutines")
	d := fs.Duration("d", 20*time.Millisecond, "sleep")
	slack := fs.Duration("slack", 0, "timer slack of the process (prctl PR_SET_TIMERSLACK)")
	fs.Parse(args)
	var msg string
	var err error
	switch check {
	case "wait":
		msg, err = wait(*n, *d, *slack)
	case "pipe":
		msg, err = pipes()
	case "stress":
		msg, err = stress(*n, *c)
	case "slots":
		msg, err = slots(*c, *d)
	case "stackmove":
		msg, err = stackMove(*n)
	case "nogrant":
		msg, err = nogrant()
	case "badhandler":
		msg, err = badHandler()
	default:
		err = fmt.Errorf("unknown check %q", check)
	}
	if err != nil {
		fail(fmt.Errorf("%s: %w", check, err))
	}
	fmt.Printf("uintrchk: %s: ok: %s\n", check, msg)
}

func fail(err error) {
	fmt.Printf("uintrchk: FAIL: %v\n", err)
	os.Exit(1)
}

// run runs body as the first coroutine of a fresh executor, which must
// make async calls.
func run(body func(c *cops.Co) error) error {
	ex, err := cops.New()
	if err != nil {
		return err
	}
	if !ex.Async() {
		return fmt.Errorf("no async calls (%s)", ex.Source())
	}
	var berr error
	if _, err := ex.Spawn(2, func(c *cops.Co) { berr = body(c) }); err != nil {
		return err
	}
	if err := ex.Run(); err != nil {
		return err
	}
	return berr
}

// wait: N async sleeps of d by the only coroutine.
func wait(n int, d, slack time.Duration) (string, error) {
	if err := setTimerSlack(slack); err != nil {
		return "", err
	}
	start := time.Now()
	err := run(func(c *cops.Co) error {
		for range n {
			if err := c.Sleep(d); err != nil {
				return err
			}
		}
		return nil
	})
	if took := time.Since(start); err == nil && took < time.Duration(n)*d {
		err = fmt.Errorf("%d sleeps of %v took only %v", n, d, took)
	}
	return fmt.Sprintf("%d async sleeps of %v", n, d), err
}

// slots: c coroutines start one async sleep of d each, all before the
// first can end (d is long beside c calls); beyond RingRecs the kernel
// refuses a call (EAGAIN) and package cops makes it wait until a call in
// flight completes. Every sleep must complete, and at least c−RingRecs
// calls must have waited.
func slots(c int, d time.Duration) (string, error) {
	ex, err := cops.New()
	if err != nil {
		return "", err
	}
	if !ex.Async() {
		return "", fmt.Errorf("no async calls (%s)", ex.Source())
	}
	done := 0
	errs := make([]error, c)
	for i := range c {
		if _, err := ex.Spawn(3, func(co *cops.Co) {
			if errs[i] = co.Sleep(d); errs[i] == nil {
				done++
			}
		}); err != nil {
			return "", err
		}
	}
	if err := ex.Run(); err != nil {
		return "", err
	}
	if err := errors.Join(errs...); err != nil {
		return "", err
	}
	w := ex.SlotWaits()
	if done != c || c > uintr.RingRecs && w < uint64(c-uintr.RingRecs) {
		return "", fmt.Errorf("%d of %d sleeps done, %d waits for a slot (want at least %d)", done, c, w, c-uintr.RingRecs)
	}
	return fmt.Sprintf("%d async sleeps at once, %d in flight at most: %d waited for a free slot, all done", c, uintr.RingRecs, w), nil
}

// pipes: a reader coroutine waits on an empty pipe while a writer
// coroutine sleeps, then writes; the data arrives intact; EOF after
// close; a console write.
func pipes() (string, error) {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		return "", err
	}
	msgs := 0
	var werr error
	err := run(func(c *cops.Co) error {
		ex := c.Executor()
		ex.Spawn(3, func(w *cops.Co) {
			for i := range 50 {
				w.Sleep(time.Millisecond)
				if _, err := w.Write(p[1], []byte(fmt.Sprintf("message %03d", i))); err != nil {
					werr = err
					break
				}
			}
			syscall.Close(p[1])
		})
		buf := make([]byte, 11)
		for {
			n, err := c.Read(p[0], buf)
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
			if want := fmt.Sprintf("message %03d", msgs); string(buf[:n]) != want {
				return fmt.Errorf("read %q, want %q", buf[:n], want)
			}
			msgs++
		}
		if n, err := c.Write(1, []byte("uintrchk: pipe: console write through an async call\n")); err != nil || n != 52 {
			return fmt.Errorf("console write = %d, %v", n, err)
		}
		return nil
	})
	if err == nil {
		err = werr
	}
	if err == nil && msgs != 50 {
		err = fmt.Errorf("%d of 50 messages", msgs)
	}
	return fmt.Sprintf("%d messages through a pipe by async reads and writes, EOF, console write", msgs), err
}

// stress: n async calls over cc coroutines (n/cc each): odd coroutines
// make async sleeps of 0, even ones pipe round trips (a write, then a
// read of the same pipe); each result must be its own, each call must
// complete once (a lost one would leave the process waiting until the
// kernel's time limit), and the receiver must have drained exactly one
// record per call, none stray (a duplicate finds its coroutine not
// blocked).
func stress(n, cc int) (string, error) {
	var done atomic.Int64
	var werr error
	setErr := func(err error) {
		if werr == nil {
			werr = err
		}
	}
	per := n / cc
	want := int64(0)
	for i := range cc {
		if i%2 == 1 {
			want += int64(per)
		} else {
			want += int64((per + 1) / 2 * 2)
		}
	}
	var rcv *uintr.Receiver
	start, i0 := time.Now(), hpm.Instret()
	err := run(func(c *cops.Co) error {
		ex := c.Executor()
		rcv = ex.Receiver()
		for i := range cc {
			ex.Spawn(uint8(3+i%4), func(w *cops.Co) {
				var p [2]int
				if i%2 == 0 {
					if err := syscall.Pipe(p[:]); err != nil {
						setErr(err)
						return
					}
					defer syscall.Close(p[0])
					defer syscall.Close(p[1])
				}
				out, in := make([]byte, 8), make([]byte, 8)
				for k := 0; k < per; k += 2 - i%2 { // odd: per sleeps; even: (per+1)/2 round trips of 2 calls
					if i%2 == 1 {
						if err := w.Sleep(0); err != nil {
							setErr(err)
							return
						}
						done.Add(1)
						continue
					}
					v := uint64(i)<<32 | uint64(k)
					*(*uint64)(unsafe.Pointer(&out[0])) = v
					if m, err := w.Write(p[1], out); err != nil || m != 8 {
						setErr(fmt.Errorf("coroutine %d: write = %d, %v", i, m, err))
						return
					}
					if m, err := w.Read(p[0], in); err != nil || m != 8 || *(*uint64)(unsafe.Pointer(&in[0])) != v {
						setErr(fmt.Errorf("coroutine %d: read = %d, %v, %x (want %x)", i, m, err, in, v))
						return
					}
					done.Add(2)
				}
			})
		}
		return nil
	})
	if err == nil {
		err = werr
	}
	took, instr := time.Since(start), hpm.Instret()-i0
	if err == nil && done.Load() != want {
		err = fmt.Errorf("%d of %d calls completed", done.Load(), want)
	}
	if err == nil && (rcv.Stray != 0 || rcv.Drained != uint64(want)) {
		err = fmt.Errorf("receiver: %d records drained for %d calls, %d stray (duplicated or misdirected)", rcv.Drained, want, rcv.Stray)
	}
	return fmt.Sprintf("%d async calls over %d coroutines, none lost or duplicated (%d drained, 0 stray); %v, %d ns and %d instructions per call",
		want, cc, rcv.Drained, took.Round(time.Millisecond), took.Nanoseconds()/want, instr/uint64(want)), err
}

// nogrant: a send through entry 0 without a grant; then a grant of
// vector 5 to itself and the send through it.
func nogrant() (string, error) {
	_, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_SEND, 0, 0, 0)
	if e != syscall.EPERM {
		return "", fmt.Errorf("send without a grant: %v, want EPERM", e)
	}
	first := e
	if _, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_REGISTER, 0, 0, 0); e != 0 {
		return "", fmt.Errorf("register: %v", e)
	}
	idx, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_GRANT, 5, uintptr(os.Getpid()), 0)
	if e != 0 {
		return "", fmt.Errorf("grant: %v", e)
	}
	if _, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_SEND, idx, 0, 0); e != 0 {
		return "", fmt.Errorf("send with a grant: %v", e)
	}
	if _, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_SEND, idx+1, 0, 0); e != syscall.EPERM {
		return "", fmt.Errorf("send through entry %d nobody granted: %v, want EPERM", idx+1, e)
	}
	return fmt.Sprintf("send without a grant: %v (errno %d); granted entry %d: sent", first, int(first), idx), nil
}

// badHandler: a registered receiver whose handler points into the
// stack, then an async sleep: the delivery must kill the process.
func badHandler() (string, error) {
	va, _, e := syscall.RawSyscall(uabi.NR_COPS_UINTR_REGISTER, 0, 0, 0)
	if e != 0 {
		return "", fmt.Errorf("register: %v", e)
	}
	var local [64]byte
	r := (*uintr.Receiver)(*(*unsafe.Pointer)(unsafe.Pointer(&va)))
	stack := make([]byte, 4096)
	r.Handler = uint64(uintptr(unsafe.Pointer(&local[0])))
	r.Stack = uint64(uintptr(unsafe.Pointer(&stack[0]))+4096) &^ 15
	atomic.StoreUint64(&r.Enable, 1)
	atomic.StoreUint32(&r.Ctl, uintr.CtlUIE)
	fmt.Printf("uintrchk: badhandler: handler at %#x (the stack), async sleep\n", r.Handler)
	ts := syscall.Timespec{Nsec: 1e6}
	syscall.RawSyscall6(uabi.NR_COPS_ASYNC, uabi.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0, 1, 0)
	time.Sleep(100 * time.Millisecond)
	return "", errors.New("still alive after the delivery")
}
