package proc

import (
	"encoding/binary"
	"testing"

	"copslab/kernel/uabi"
)

// TestSigchldToParent: a child's exit makes SIGCHLD pending in a parent
// that handles it, and nothing in one that leaves it at SIG_DFL.
func TestSigchldToParent(t *testing.T) {
	for _, handled := range []bool{false, true} {
		p, a, _ := newProc(t, "uhello")
		pids := 1
		sys := &System{Phys: p.Space.phys, Frames: a, NewPID: func() int { pids++; return pids }}
		sys.Add(p)
		call, sc := sysCaller(t, p)
		if handled {
			var act [uabi.SigactionSize]byte
			binary.LittleEndian.PutUint64(act[uabi.SaHandler:], 0x1000)
			p.Space.CopyOut(sc, act[:])
			if r := call(uabi.SYS_RT_SIGACTION, uabi.SIGCHLD, sc, 0, 8); r != 0 {
				t.Fatalf("rt_sigaction = %d", int64(r))
			}
		}
		call(uabi.SYS_CLONE, uint64(uabi.SIGCHLD))
		c := sys.Born()[0]
		sys2(c, c.Threads[0], uabi.SYS_EXIT_GROUP, 0)
		if !c.Exited {
			t.Fatal("child did not exit")
		}
		got := p.Threads[0].sig.pending&(1<<(uabi.SIGCHLD-1)) != 0
		if got != handled {
			t.Errorf("handler set %v: SIGCHLD pending %v", handled, got)
		}
	}
}
