package uintr

import (
	"testing"
	"unsafe"

	"copslab/sched"
)

// FuzzReceiver: a process writes arbitrary bytes over its receiver's
// header and records between arbitrary kernel operations and handler
// runs. Never a panic in the kernel's code or in the handler; the
// kernel's own tail counts exactly the completions it accepted; the
// other process gets every completion, delivered, with its key.
func FuzzReceiver(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5}, []byte{48, 0xff, 56, 7})
	f.Add([]byte{1, 1, 1, 2, 3, 3, 4, 5, 0}, []byte{32, 0, 8, 0, 16, 0, 40, 1})
	f.Fuzz(func(t *testing.T, ops, scribble []byte) {
		e := NewEmu()
		var bad, good Receiver
		var lb, lg sched.Local
		lb.Init(1)
		lg.Init(2)
		for _, r := range []*Receiver{&bad, &good} {
			r.Init()
			r.Ctl, r.Enable, r.Handler, r.Stack = CtlUIE, ^uint64(0), 0x10100, 0x8f000
		}
		e.Register(1, &bad, testSpace)
		e.Register(2, &good, testSpace)
		raw := unsafe.Slice((*byte)(unsafe.Pointer(&bad)), RecvSize)
		accepted, goodKeys := uint64(0), uint64(0)
		var f Frame
		for i, op := range ops {
			if len(scribble) >= 2 {
				j := (i * 2) % len(scribble)
				raw[int(scribble[j])%(OffRecs+RecordSize*4)] = scribble[(j+1)%len(scribble)]
			}
			switch op % 6 {
			case 0:
				e.Reserve(1)
			case 1:
				if e.Complete(1, Record{Key: uint64(i), Co: uint32(op)}) == nil {
					accepted++
				}
			case 2:
				e.Enter(1, 0, &f)
			case 3:
				e.Return(1, &f)
			case 4:
				bad.Handle(&lb, sched.Ctx{}, HandlerTag(0))
			case 5:
				idx, err := e.Grant(1, op%NVectors, 2)
				if err == nil {
					e.Post(2, idx)
				}
			}
			// the good process: one call, delivered and drained
			if err := e.Reserve(2); err != nil {
				t.Fatalf("op %d: good process: %v", i, err)
			}
			goodKeys++
			if err := e.Complete(2, Record{Key: goodKeys}); err != nil {
				t.Fatal(err)
			}
			var g Frame
			if err := e.Enter(2, 1, &g); err != nil || g.PC != good.Handler {
				t.Fatalf("op %d: good process not delivered: %v", i, err)
			}
			good.Handle(&lg, sched.Ctx{}, HandlerTag(1))
			if good.Head != goodKeys || good.Recs[(goodKeys-1)%RingRecs].Key != goodKeys {
				t.Fatalf("op %d: good ring head %d", i, good.Head)
			}
			e.Return(2, &g)
		}
		if p, _ := e.proc(1); p.tail != accepted {
			t.Fatalf("kernel tail %d, accepted %d", p.tail, accepted)
		}
	})
}
