package qemu

import "sync"

// console is the output buffer: writers append, readers wait for growth.
// changed is closed and replaced on every write and at exit, so a reader
// can select on it together with a timer.
type console struct {
	mu      sync.Mutex
	buf     []byte
	changed chan struct{}
	closed  bool
}

func newConsole() *console { return &console{changed: make(chan struct{})} }

// Write appends p; it implements io.Writer for exec.Cmd.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.buf = append(c.buf, p...)
	c.signalLocked()
	c.mu.Unlock()
	return len(p), nil
}

// close wakes every waiter one last time; later writes are still kept.
func (c *console) close() {
	c.mu.Lock()
	c.closed = true
	c.signalLocked()
	c.mu.Unlock()
}

// signalLocked wakes the waiters. c.mu must be held.
func (c *console) signalLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// snapshot returns a copy of the text from offset from, the channel that
// the next change closes, and whether the producer is gone.
func (c *console) snapshot(from int) (text string, changed <-chan struct{}, closed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if from > len(c.buf) {
		from = len(c.buf)
	}
	return string(c.buf[from:]), c.changed, c.closed
}
