//go:build copslab

package main

// The stress mode is the long form of the fp-under-preemption self-test,
// made to reproduce collector bugs quickly. Each round first returns all
// free heap memory to the "OS" (debug.FreeOSMemory: the scavenger
// madvises it), so the round's allocations reuse scavenged pages, then
// runs call-free compute loops (preempted only asynchronously, by the
// tick handler injecting asyncPreempt) while a churn goroutine builds and
// verifies pointer-linked lists. A register or stack slot the trap or
// preemption path failed to restore shows up as disagreeing results or a
// corrupted list; a pointer the collector did not see, or stale bytes in
// reused memory, as the runtime's "found pointer to free object".
//
//	-append "stress [ROUNDS [HZ]]"   defaults: 20 rounds at 1000 Hz
//
// A higher tick rate makes asynchronous preemptions more frequent; the
// normal rate is restored at the end.

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
)

// stressNode is a list cell: a pointer, a checked value and padding so
// that lists spread over many spans.
type stressNode struct {
	next *stressNode
	val  uint64
	pad  [4]uint64
}

func stressMode(m *machine, args []string) int {
	rounds, hz := 20, uint64(1000)
	if len(args) > 0 {
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 1 {
			fmt.Printf("stress: bad round count %q\n", args[0])
			return 1
		}
		rounds = n
	}
	if len(args) > 1 {
		n, err := strconv.ParseUint(args[1], 10, 32)
		if err != nil || n < 10 || n > 10000 {
			fmt.Printf("stress: bad tick rate %q (want 10..10000)\n", args[1])
			return 1
		}
		hz = n
	}
	rtHwinit1(&ticks, hz, preemptTicks)
	defer rtHwinit1(&ticks, tickHz, preemptTicks)
	async0 := rtStats().asyncPreempts
	gc0 := numGC()
	start := mtimeNow()
	for r := 0; r < rounds; r++ {
		if err := stressRound(r); err != nil {
			fmt.Printf("stress: round %d: FAIL: %v\n", r, err)
			return 1
		}
	}
	async1 := rtStats().asyncPreempts
	fmt.Printf("stress: PASS: %d rounds at %d Hz in %v: %d async preemptions, %d GCs\n",
		rounds, hz, mtimeNow()-start, async1-async0, numGC()-gc0)
	return 0
}

func numGC() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

// stressRound scavenges, then runs the workers against the churn.
func stressRound(round int) error {
	runtime.GC()
	debug.FreeOSMemory()
	const n, workers = 2_000_000, 3
	stop := make(chan struct{})
	churnErr := make(chan error, 1)
	go func() { churnErr <- stressChurn(stop) }()
	_, err := runFPWorkers(workers, n, uint64(7+round))
	close(stop)
	if cerr := <-churnErr; err == nil {
		err = cerr
	}
	return err
}

// stressMinLists is the churn's least work per round (about 6 MiB, a few collections),
// so that it allocates even when the workers are not preempted.
const stressMinLists = 2048

// stressChurn keeps building 64-cell lists, keeps the last 32, and
// checks every list it drops: each cell must still hold its value. It
// also grows a slice of pointers by append: growslice leaves the spare
// capacity as the allocator returned it, which the collector scans, so
// reused memory that was not cleared shows up there.
func stressChurn(stop <-chan struct{}) error {
	var ring [32]*stressNode
	var heads []*stressNode
	for seq := uint64(0); ; seq++ {
		if seq >= stressMinLists {
			select {
			case <-stop:
				return nil
			default:
			}
		}
		if heads = append(heads, ring[seq%uint64(len(ring))]); len(heads) > 300 {
			heads = nil
		}
		slot := seq % uint64(len(ring))
		if err := stressCheck(ring[slot], seq-uint64(len(ring))); err != nil {
			return err
		}
		var head *stressNode
		for i := uint64(0); i < 64; i++ {
			head = &stressNode{next: head, val: seq<<8 | i}
		}
		ring[slot] = head
	}
}

func stressCheck(head *stressNode, seq uint64) error {
	if head == nil {
		return nil
	}
	i := uint64(63)
	for c := head; c != nil; c = c.next {
		if c.val != seq<<8|i {
			return fmt.Errorf("list %d cell %d holds %#x", seq, i, c.val)
		}
		i--
	}
	if i != ^uint64(0) {
		return fmt.Errorf("list %d has %d cells, want 64", seq, 63-i)
	}
	return nil
}
