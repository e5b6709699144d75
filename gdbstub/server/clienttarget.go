package server

import (
	"errors"
	"sync"
	"time"

	"copslab/gdbstub/client"
)

// ClientTarget fronts another stub through a client.Client: every request
// gdb makes becomes a request to that stub. It implements every
// capability except ThreadTarget, which a wrapper adds (the OS-aware proxy
// will list coroutines there).
type ClientTarget struct {
	C *client.Client

	mu       sync.Mutex // guards the fields below
	resuming bool       // inside Resume
	early    bool       // Interrupt came before the far target was running
}

var (
	_ Target           = (*ClientTarget)(nil)
	_ RegisterTarget   = (*ClientTarget)(nil)
	_ DescribedTarget  = (*ClientTarget)(nil)
	_ BreakpointTarget = (*ClientTarget)(nil)
	_ MonitorTarget    = (*ClientTarget)(nil)
	_ KillTarget       = (*ClientTarget)(nil)
)

// waitSlice is how long one client.Wait lasts inside Resume; Resume loops
// until the target stops, so it may run for ever, as a target may.
const waitSlice = time.Second

// unsupported turns the client's "empty reply" into ErrUnsupported so
// gdb sees the same empty reply.
func unsupported(err error) error {
	if errors.Is(err, client.ErrUnsupported) {
		return ErrUnsupported
	}
	return err
}

func (t *ClientTarget) ReadRegisters() ([]byte, error) {
	b, err := t.C.ReadRegisters()
	return b, unsupported(err)
}

func (t *ClientTarget) WriteRegisters(b []byte) error { return unsupported(t.C.WriteRegisters(b)) }

func (t *ClientTarget) ReadRegister(num int) ([]byte, error) {
	b, err := t.C.ReadRegister(num)
	return b, unsupported(err)
}

func (t *ClientTarget) WriteRegister(num int, val []byte) error {
	return unsupported(t.C.WriteRegister(num, val))
}

func (t *ClientTarget) ReadMemory(addr uint64, n int) ([]byte, error) {
	b, err := t.C.ReadMemory(addr, n)
	return b, unsupported(err)
}

func (t *ClientTarget) WriteMemory(addr uint64, data []byte) error {
	return unsupported(t.C.WriteMemory(addr, data))
}

func (t *ClientTarget) TargetXML(annex string) ([]byte, error) {
	b, err := t.C.ReadXfer("features", annex)
	return b, unsupported(err)
}

func (t *ClientTarget) SetBreakpoint(kind int, addr uint64, size int) error {
	return unsupported(t.C.SetBreakpoint(client.BreakKind(kind), addr, size))
}

func (t *ClientTarget) ClearBreakpoint(kind int, addr uint64, size int) error {
	return unsupported(t.C.ClearBreakpoint(client.BreakKind(kind), addr, size))
}

func (t *ClientTarget) Monitor(cmd string) (string, error) {
	out, err := t.C.Monitor(cmd)
	return out, unsupported(err)
}

func (t *ClientTarget) Kill() error { return t.C.Kill() }

// Interrupt stops the far target. gdb may send 0x03 right after 'c', before
// Resume has resumed the far target; such an early interrupt is kept and
// delivered by Resume.
func (t *ClientTarget) Interrupt() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.C.Running() {
		return t.C.Interrupt()
	}
	if t.resuming {
		t.early = true
	}
	return nil
}

// started marks the far target running and delivers an early interrupt.
func (t *ClientTarget) started() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.early {
		t.early = false
		return t.C.Interrupt()
	}
	return nil
}

func (t *ClientTarget) setResuming(on bool) {
	t.mu.Lock()
	t.resuming, t.early = on, false
	t.mu.Unlock()
}

// Resume continues or steps the far target and waits for it to stop.
// gdb steps over its own breakpoints, so the client's automatic step-over
// never triggers here (it only knows breakpoints set through it, and gdb
// removes those before stepping).
func (t *ClientTarget) Resume(step bool) (Stop, error) {
	t.setResuming(true)
	defer t.setResuming(false)
	var err error
	if step {
		err = t.C.Resume("s")
		if errors.Is(err, client.ErrUnsupported) {
			_, err = t.C.Step()
			return Stop{Signal: 5}, err
		}
	} else {
		err = t.C.Continue()
	}
	if err == nil {
		err = t.started()
	}
	if err != nil {
		return Stop{}, err
	}
	for {
		r, err := t.C.Wait(waitSlice)
		if errors.Is(err, client.ErrTimeout) {
			continue
		}
		if err != nil {
			return Stop{}, err
		}
		return stopFromReply(r), nil
	}
}

// stopFromReply converts the far stub's stop reply.
func stopFromReply(r client.StopReply) Stop {
	return Stop{Signal: r.Signal, Reason: r.Reason, Addr: r.Addr, Thread: r.Thread,
		Exited: r.Kind == client.StopExited, Killed: r.Kind == client.StopKilled, ExitCode: r.ExitCode}
}
