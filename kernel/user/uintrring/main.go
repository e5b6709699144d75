// Command uintrring passes a token around a ring of pipe stages on the
// copslab kernel, the paper's pipe-ring experiment, in two forms:
//
//	uintrring async -s STAGES -r ROUNDS   each stage is a coroutine (package cops): c.Read
//	                                      and c.Write are async calls, completed by user
//	                                      interrupts; a waiting stage costs no thread
//	uintrring sync  -s STAGES -r ROUNDS   each stage is a thread of its own (a goroutine
//	                                      locked to its OS thread) making blocking read
//	                                      and write calls
//	uintrring proc  -s STAGES -r ROUNDS   each stage is a process of its own making
//	                                      blocking calls (sync with -per 1)
//
// Stage i reads the token from pipe i and writes it, plus one, to pipe
// i+1 (the last stage to pipe 0). Stage 0 starts each round and checks
// that the token came back having been through every stage once. The
// stages are spread over processes of at most -per stages each (32 by
// default: a process's Local holds 256 coroutines and its receiver's
// ring 64 async calls in flight, and in a ring all stages but one wait
// in a read), the same layout for both forms; the first process runs
// stage 0 and starts the others (/bin/uintrring child …, the pipes
// between processes passed as descriptors 3 and 4).
//
// After one untimed round it times ROUNDS rounds and prints
//
//	uintrring: async 64 stages (2 processes) x 20 rounds: token ok; 1280 hops in 12.3ms; per stage 9613 ns, 9600 instructions
//
// where instructions are the hart's retired instructions (rdinstret:
// user and kernel, every process) per hop — with QEMU's -icount the
// guest's own cost. Exits 1 if the token is wrong or a process fails.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"copslab/kernel/user/cops"
	"copslab/kernel/user/internal/hpm"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: uintrring async|sync -s STAGES -r ROUNDS"))
	}
	mode := os.Args[1]
	if mode == "child" {
		child(os.Args[2:])
		return
	}
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	stages := fs.Int("s", 16, "stages")
	rounds := fs.Int("r", 10, "timed rounds")
	per := fs.Int("per", 32, "stages per process")
	fs.Parse(os.Args[2:])
	if mode != "async" && mode != "sync" && mode != "proc" || *stages < 2 || *rounds < 1 || *per < 1 {
		fail(fmt.Errorf("bad arguments %q", os.Args[1:]))
	}
	lead(mode, *stages, *rounds, *per)
}

func fail(err error) {
	fmt.Printf("uintrring: FAIL: %v\n", err)
	os.Exit(1)
}

// ring is one process's share: stages [first, last) of s, the read end
// of pipe i and the write end of pipe i+1 for each. The pipes between
// shares (into its first stage, out of its last) come from the first
// process; a share makes the pipes between its own stages (link).
type ring struct {
	s, first, last, rounds int
	rd, wr                 []int // by stage - first
}

// newRing is the share [first, last) whose first stage reads in and
// whose last stage writes out.
func newRing(s, first, last, rounds, in, out int) *ring {
	r := &ring{s: s, first: first, last: last, rounds: rounds, rd: []int{in}}
	for i := first + 1; i < last; i++ {
		var p [2]int
		if err := syscall.Pipe(p[:]); err != nil {
			fail(err)
		}
		r.wr, r.rd = append(r.wr, p[1]), append(r.rd, p[0])
	}
	r.wr = append(r.wr, out)
	return r
}

// lead makes the pipes between shares, starts a process per share but
// the first, runs the first share with stage 0 timing the rounds, and
// waits.
func lead(mode string, s, rounds, per int) {
	name := mode // as printed
	if mode == "proc" {
		mode, per = "sync", 1
	}
	var firsts []int
	for first := 0; first < s; first += per {
		firsts = append(firsts, first)
	}
	bounds := make([][2]int, len(firsts)) // bounds[k]: into share k
	for k := range bounds {
		if err := syscall.Pipe(bounds[k][:]); err != nil {
			fail(err)
		}
	}
	out := func(k int) int { return bounds[(k+1)%len(bounds)][1] }
	var cmds []*exec.Cmd
	for k, first := range firsts[1:] {
		k++
		last := min(first+per, s)
		cmd := exec.Command("/bin/uintrring", "child", mode, strconv.Itoa(s), strconv.Itoa(first), strconv.Itoa(last), strconv.Itoa(rounds+1))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		cmd.ExtraFiles = []*os.File{os.NewFile(uintptr(bounds[k][0]), "in"), os.NewFile(uintptr(out(k)), "out")}
		if err := cmd.Start(); err != nil {
			for _, c := range cmds { // they would wait for the token for good
				c.Process.Kill()
			}
			fail(fmt.Errorf("starting the process of stages %d…%d: %w", first, last-1, err))
		}
		cmds = append(cmds, cmd)
	}
	var took time.Duration
	var instr uint64
	err := run(mode, newRing(s, 0, min(per, s), rounds+1, bounds[0][0], out(0)), func(round int) {
		if round == 1 { // after the untimed round
			took, instr = -time.Duration(time.Now().UnixNano()), -hpm.Instret()
		}
		if round == rounds+1 {
			took += time.Duration(time.Now().UnixNano())
			instr += hpm.Instret()
		}
	})
	for _, cmd := range cmds {
		if werr := cmd.Wait(); werr != nil && err == nil {
			err = fmt.Errorf("stage process: %v", werr)
		}
	}
	if err != nil {
		fail(err)
	}
	hops := rounds * s
	fmt.Printf("uintrring: %s %d stages (%d processes) x %d rounds: token ok; %d hops in %v; per stage %d ns, %d instructions\n",
		name, s, len(cmds)+1, rounds, hops, took, took.Nanoseconds()/int64(hops), instr/uint64(hops))
}

// child runs the share named by its arguments (mode s first last
// rounds), its pipe in at descriptor 3, out at 4.
func child(args []string) {
	if len(args) != 5 {
		fail(fmt.Errorf("child: arguments %q", args))
	}
	n := make([]int, 4)
	for i := range n {
		v, err := strconv.Atoi(args[1+i])
		if err != nil {
			fail(err)
		}
		n[i] = v
	}
	r := newRing(n[0], n[1], n[2], n[3], 3, 4)
	if err := run(args[0], r, nil); err != nil {
		fail(err)
	}
}

// io is a stage's read and write: async calls of a coroutine, or
// blocking calls of a thread.
type io interface {
	read(fd int, b []byte) (int, error)
	write(fd int, b []byte) (int, error)
}

type coIO struct{ c *cops.Co }

func (c coIO) read(fd int, b []byte) (int, error)  { return c.c.Read(fd, b) }
func (c coIO) write(fd int, b []byte) (int, error) { return c.c.Write(fd, b) }

type threadIO struct{}

func (threadIO) read(fd int, b []byte) (int, error)  { return syscall.Read(fd, b) }
func (threadIO) write(fd int, b []byte) (int, error) { return syscall.Write(fd, b) }

// run runs r's stages in mode; mark (stage 0 only) is called before
// each round starts (round 1…rounds-1) and once after the last.
func run(mode string, r *ring, mark func(round int)) error {
	errs := make([]error, r.last-r.first)
	stage := func(i int, io io) {
		errs[i-r.first] = r.stage(i, io, mark)
	}
	if mode == "async" {
		ex, err := cops.New()
		if err != nil {
			return err
		}
		if !ex.Async() {
			return fmt.Errorf("no async calls (%s)", ex.Source())
		}
		for i := r.first; i < r.last; i++ {
			if _, err := ex.Spawn(3, func(c *cops.Co) { stage(i, coIO{c}) }); err != nil {
				return err
			}
		}
		if err := ex.Run(); err != nil {
			return err
		}
	} else {
		done := make(chan struct{})
		for i := r.first; i < r.last; i++ {
			go func() {
				runtime.LockOSThread() // a thread per stage
				stage(i, threadIO{})
				done <- struct{}{}
			}()
		}
		for i := r.first; i < r.last; i++ {
			<-done
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// stage passes the token rounds times: stage i receives round*s + i and
// sends one more; stage 0 starts each round with round*s + 1 and must
// get (round+1)*s back.
func (r *ring) stage(i int, io io, mark func(int)) error {
	b := make([]byte, 8)
	tok := func() uint64 { return *(*uint64)(unsafe.Pointer(&b[0])) }
	send := func(v uint64) error {
		*(*uint64)(unsafe.Pointer(&b[0])) = v
		n, err := io.write(r.wr[i-r.first], b)
		if err == nil && n != 8 {
			err = fmt.Errorf("stage %d: wrote %d bytes", i, n)
		}
		return err
	}
	recv := func(want uint64) error {
		n, err := io.read(r.rd[i-r.first], b)
		switch {
		case err != nil:
			return fmt.Errorf("stage %d: read: %w", i, err)
		case n != 8:
			return fmt.Errorf("stage %d: read %d bytes", i, n)
		case tok() != want:
			return fmt.Errorf("stage %d: token %d, want %d", i, tok(), want)
		}
		return nil
	}
	s := uint64(r.s)
	for round := range uint64(r.rounds) {
		if i == 0 {
			if mark != nil {
				mark(int(round))
			}
			if err := send(round*s + 1); err != nil {
				return err
			}
			if err := recv((round + 1) * s); err != nil {
				return err
			}
			continue
		}
		if err := recv(round*s + uint64(i)); err != nil {
			return err
		}
		if err := send(round*s + uint64(i) + 1); err != nil {
			return err
		}
	}
	if i == 0 && mark != nil {
		mark(r.rounds)
	}
	return nil
}
