// Command copsscribble writes random bytes over its own scheduler state
// (the Local the kernel mapped at AT_COPS_LOCAL) until the kernel kills
// it. The kernel reads every process's Local defensively at each
// decision: it must end this process with a message naming the
// corruption, and nothing else may notice.
//
// Exits 1 if the kernel mapped no Local, 3 if it is still alive after
// -n rounds.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"unsafe"

	"copslab/kernel/uabi"
	"copslab/kernel/user/internal/auxvdso"
	"copslab/sched"
)

var (
	rounds = flag.Int("n", 1_000_000, "rounds of scribbling before giving up")
	seed   = flag.Uint64("seed", 1, "random seed")
)

func main() {
	flag.Parse()
	addr := auxvdso.Aux(uabi.AT_COPS_LOCAL)
	if addr == 0 {
		fmt.Println("copsscribble: the kernel mapped no Local")
		os.Exit(1)
	}
	mem := unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&addr))), sched.LocalSize)
	fmt.Printf("copsscribble: scribbling over the Local at %#x\n", addr)
	r := rand.New(rand.NewPCG(*seed, 0x9e3779b97f4a7c15))
	for i := range *rounds {
		for range 16 {
			mem[r.IntN(len(mem))] = byte(r.Uint32())
		}
		if i%1000 == 0 {
			os.Getpid() // a trap now and then: the kernel decides again
		}
	}
	fmt.Println("copsscribble: still alive")
	os.Exit(3)
}
