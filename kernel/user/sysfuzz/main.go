// Command sysfuzz makes random system calls with random arguments through
// syscall.RawSyscall6 and survives them, to test that a kernel validates
// every argument (a bad pointer must give EFAULT, never a kernel fault):
//
//	sysfuzz: seed=1 calls=20000 done
//	sysfuzz: ok=<n> errors=<n> skipped=<n> (per-errno counts with -v)
//
// It uses the riscv64 Linux numbers from copslab/kernel/uabi and refuses to
// run on any other architecture. A fixed -seed gives the same sequence of
// calls. policy.go lists what is never called (exit, kill, clone, execve,
// calls that block, calls that change the machine rather than the process)
// and how some arguments are tamed so the fuzzer keeps its own memory, file
// descriptors and signal handlers intact; args.go says how arguments are drawn.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"syscall"

	"copslab/kernel/uabi"
)

func main() {
	seed := flag.Uint64("seed", 1, "random seed")
	calls := flag.Int("n", 20000, "number of system calls to make")
	verbose := flag.Bool("v", false, "print every call")
	qemuUser := flag.Bool("qemu-user", false, "also skip calls that crash qemu-user 7.2 (policy.go)")
	flag.Parse()
	if *qemuUser {
		denyQemuUser()
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "riscv64" {
		fmt.Printf("sysfuzz: only for linux/riscv64 (this is %s/%s)\n", runtime.GOOS, runtime.GOARCH)
		os.Exit(1)
	}
	f, err := newFuzzer(*seed)
	if err != nil {
		fmt.Printf("sysfuzz: setup: %v\n", err)
		os.Exit(1)
	}
	f.verbose = *verbose
	for made := 0; made < *calls; {
		if f.step() {
			if made++; made%500 == 0 {
				f.tidy()
			}
		}
	}
	f.tidy()
	fmt.Printf("sysfuzz: seed=%d calls=%d done\n", *seed, *calls)
	fmt.Printf("sysfuzz: ok=%d errors=%d skipped=%d\n", f.ok, f.errs, f.skipped)
	if *verbose {
		f.printErrnos()
	}
}

// fuzzer is the state of one run.
type fuzzer struct {
	rng     *rand.Rand
	mem     *memory
	firstFd uintptr // descriptors below this existed at start: never touched
	maps    []mapping
	verbose bool

	ok, errs, skipped int
	errnos            map[syscall.Errno]int
}

type mapping struct{ addr, size uintptr }

func newFuzzer(seed uint64) (*fuzzer, error) {
	mem, err := newMemory(seed)
	if err != nil {
		return nil, err
	}
	// The lowest free descriptor marks the end of the inherited ones
	// (stdio, and under qemu-user the emulator's own).
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		return nil, fmt.Errorf("pipe2: %v", err)
	}
	syscall.Close(p[0])
	syscall.Close(p[1])
	return &fuzzer{
		rng:     rand.New(rand.NewPCG(seed, seed^0x5eed)),
		mem:     mem,
		firstFd: uintptr(p[0]),
		errnos:  map[syscall.Errno]int{},
	}, nil
}

// step draws one random call and makes it unless the policy forbids it;
// it reports whether the call was made.
func (f *fuzzer) step() bool {
	nr := f.number()
	var a [6]uintptr
	for i := range a {
		a[i] = f.arg()
	}
	if !f.tame(nr, &a) {
		f.skipped++
		return false
	}
	if f.verbose {
		fmt.Printf("%s(%#x, %#x, %#x, %#x, %#x, %#x)", uabi.SyscallName(uint64(nr)), a[0], a[1], a[2], a[3], a[4], a[5])
	}
	r, _, errno := syscall.RawSyscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	if f.verbose {
		fmt.Printf(" = %#x (%v)\n", r, errno)
	}
	if errno != 0 {
		f.errs++
		f.errnos[errno]++
		return true
	}
	f.ok++
	f.record(nr, a, r)
	return true
}

// record remembers what a successful call created that tidy must undo.
func (f *fuzzer) record(nr uintptr, a [6]uintptr, r uintptr) {
	switch nr {
	case uabi.SYS_MMAP:
		f.maps = append(f.maps, mapping{r, a[1]})
	case uabi.SYS_MUNMAP:
		for i, m := range f.maps {
			if a[0] >= m.addr && a[0] < m.addr+m.size {
				f.maps = append(f.maps[:i], f.maps[i+1:]...)
				break
			}
		}
	}
}

// tidy closes every descriptor the calls opened and unmaps what they
// mapped, so resources do not run out over a long run.
func (f *fuzzer) tidy() {
	for fd := f.firstFd; fd < f.firstFd+256; fd++ {
		syscall.RawSyscall(uabi.SYS_CLOSE, fd, 0, 0)
	}
	for _, m := range f.maps {
		syscall.RawSyscall(uabi.SYS_MUNMAP, m.addr, m.size, 0)
	}
	f.maps = f.maps[:0]
}

func (f *fuzzer) printErrnos() {
	var keys []int
	for e := range f.errnos {
		keys = append(keys, int(e))
	}
	sort.Ints(keys)
	for _, e := range keys {
		fmt.Printf("sysfuzz: errno %d (%v): %d\n", e, syscall.Errno(e), f.errnos[syscall.Errno(e)])
	}
}
