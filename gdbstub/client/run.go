package client

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Halted asks why the target stopped ('?'). Call it after connecting.
func (c *Client) Halted() (StopReply, error) {
	reply, err := c.call("query halt reason", "?")
	if err != nil {
		return StopReply{}, err
	}
	return c.parseStop("query halt reason", "?", reply)
}

func (c *Client) parseStop(op, req string, reply []byte) (StopReply, error) {
	r, err := ParseStopReply(reply)
	if err != nil {
		return r, protocolError(op, []byte(req), reply, err.Error())
	}
	return r, nil
}

// Continue resumes the target ('c') and returns once the packet is sent.
// Collect the stop with Wait; stop it early with Interrupt.
//
// Like gdb, Continue first steps over a code breakpoint that this client
// inserted at the current pc: stubs such as QEMU's would otherwise report
// the same breakpoint again without executing anything.
func (c *Client) Continue() error {
	if err := c.stepOverBreakpoint(); err != nil {
		return err
	}
	c.mu.Lock()
	stopped := c.pending != nil
	c.mu.Unlock()
	if stopped { // the step already stopped for another reason; Wait reports it
		c.running.Store(true)
		return nil
	}
	return c.resume("continue", "c")
}

// stepOverBreakpoint removes a breakpoint at pc, steps, and reinserts it.
// If the step stops for another reason than the step itself, that stop is
// kept for the next Wait.
func (c *Client) stepOverBreakpoint() error {
	c.mu.Lock()
	n := len(c.breaks)
	c.mu.Unlock()
	if n == 0 {
		return nil
	}
	pc, err := c.Reg("pc")
	if errors.Is(err, ErrUnsupported) {
		return nil // no target description: resume as asked
	}
	if err != nil {
		return err
	}
	c.mu.Lock()
	bp, ok := c.breaks[pc]
	c.mu.Unlock()
	if !ok {
		return nil
	}
	if err := c.ClearBreakpoint(bp.kind, pc, bp.size); err != nil {
		return err
	}
	stop, err := c.Step()
	if err != nil {
		return err
	}
	if err := c.SetBreakpoint(bp.kind, pc, bp.size); err != nil {
		return err
	}
	if stop.Kind != StopSignalInfo && stop.Kind != StopSignal || stop.Signal != SigTrap || stop.Reason != "" {
		c.mu.Lock()
		c.pending = &stop
		c.mu.Unlock()
	}
	return nil
}

// Resume sends a vCont action list such as "c", "s:1" or "c:p1.-1". It
// checks vCont? first and fails with ErrUnsupported if the stub lacks an
// action.
func (c *Client) Resume(actions string) error {
	acts, err := c.VContActions()
	if err != nil {
		return err
	}
	for _, a := range strings.Split(actions, ";") {
		name, _, _ := strings.Cut(a, ":")
		if !containsWord(acts, name) {
			return newError("resume", []byte("vCont;"+actions), ErrUnsupported,
				fmt.Errorf("vCont action %q not offered (%s)", name, acts))
		}
	}
	return c.resume("resume", "vCont;"+actions)
}

// VContActions returns the stub's vCont? reply, e.g. "vCont;c;C;s;S".
func (c *Client) VContActions() (string, error) {
	c.mu.Lock()
	v := c.vCont
	c.mu.Unlock()
	if v != "" {
		return v, nil
	}
	reply, err := c.call("query vCont actions", "vCont?")
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.vCont = string(reply)
	c.mu.Unlock()
	return string(reply), nil
}

func containsWord(list, w string) bool {
	for _, x := range strings.Split(list, ";") {
		if x == w {
			return true
		}
	}
	return false
}

// resume sends a packet whose answer is a stop reply that comes later.
func (c *Client) resume(op, req string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.usable(op, []byte(req)); err != nil {
		return err
	}
	t := time.NewTimer(c.opts.timeout())
	defer t.Stop()
	if err := c.send(op, []byte(req), t.C); err != nil {
		return err
	}
	c.running.Store(true)
	return nil
}

// takePending returns a stop kept by stepOverBreakpoint. c.mu must be held.
func (c *Client) takePending() *StopReply {
	p := c.pending
	c.pending = nil
	return p
}

// Running reports whether the target was resumed and has not stopped yet.
func (c *Client) Running() bool { return c.running.Load() }

// Wait waits up to timeout for the running target to stop. 'O' packets on
// the way go to Options.Console. On timeout the target is still running
// (the error matches ErrTimeout) and Wait may be called again.
func (c *Client) Wait(timeout time.Duration) (StopReply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	const op = "wait for stop"
	if !c.running.Load() {
		return StopReply{}, newError(op, nil, ErrProtocol, fmt.Errorf("target is not running"))
	}
	if p := c.takePending(); p != nil {
		c.running.Store(false)
		return *p, nil
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		reply, err := c.recv(op, nil, t.C)
		if errors.Is(err, ErrTimeout) {
			c.desync = "" // nothing was lost: the stop reply is still to come
			return StopReply{}, newError(op, nil, ErrTimeout, fmt.Errorf("still running after %v", timeout))
		}
		if err != nil {
			return StopReply{}, err
		}
		r, err := c.parseStop(op, "", reply)
		if err != nil {
			return r, err
		}
		if r.Kind == StopOutput {
			if c.opts.Console != nil {
				c.opts.Console.Write(r.Output)
			}
			continue
		}
		c.running.Store(false)
		return r, nil
	}
}

// Interrupt sends the interrupt byte 0x03 to a running target; its stop
// reply (usually signal 2) arrives through Wait.
func (c *Client) Interrupt() error {
	if !c.running.Load() {
		// A stub may answer an interrupt of a halted target with a stop
		// reply that would then be taken for the next request's reply.
		return newError("interrupt", []byte{3}, ErrProtocol, fmt.Errorf("target is not running"))
	}
	if err := c.conn.WriteInterrupt(); err != nil {
		return newError("interrupt", []byte{3}, ErrClosed, err)
	}
	return nil
}

// Step executes one instruction ('s') and returns the stop reply.
func (c *Client) Step() (StopReply, error) {
	if err := c.resume("step", "s"); err != nil {
		return StopReply{}, err
	}
	return c.Wait(c.opts.timeout())
}

// Kill asks the stub to kill the target ('k'). QEMU exits; the connection
// then drops, which is not an error here.
func (c *Client) Kill() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.usable("kill", []byte("k")); err != nil {
		return err
	}
	if err := c.conn.WritePacket([]byte("k")); err != nil {
		return newError("kill", []byte("k"), ErrClosed, err)
	}
	return nil
}

// Detach ends the session ('D'); the target resumes.
func (c *Client) Detach() error { return c.callOK("detach", "D") }
