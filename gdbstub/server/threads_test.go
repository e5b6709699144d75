package server

import (
	"copslab/gdbstub/internal/qemutest"
	"net"
	"regexp"
	"sync"
	"testing"
)

// coroutines is the shape the OS-aware proxy will have: ClientTarget plus
// a ThreadTarget that lists the kernel's coroutines. Here the list is
// fixed test data; registers of every thread are the CPU's.
type coroutines struct {
	*ClientTarget
	list     []Thread
	mu       sync.Mutex
	selected map[byte]string
}

var _ ThreadTarget = (*coroutines)(nil)

func (c *coroutines) Threads() ([]Thread, error) { return c.list, nil }

func (c *coroutines) SelectThread(op byte, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.selected[op] = id
	return nil
}

// TestGDBSeesThreads: gdb's "info threads" lists what ThreadTarget says,
// with the qThreadExtraInfo text.
func TestGDBSeesThreads(t *testing.T) {
	qemutest.Need(t, qemutest.GDBBinary)
	ct, prog, _ := front(t)
	target := &coroutines{ClientTarget: ct, selected: map[byte]string{},
		list: []Thread{{"1", "main coroutine running"}, {"2", "coroutine 2 ready prio 3"}, {"3", "coroutine 3 blocked"}}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go ListenAndServe(l, target, Options{})
	out := qemutest.GDB(t, prog, l.Addr().String(), "info threads", "thread 2", "info registers pc")
	for _, re := range []string{
		`\* 1\s+Thread 1 \(main coroutine running\)`,
		`2\s+Thread 2 \(coroutine 2 ready prio 3\)`,
		`3\s+Thread 3 \(coroutine 3 blocked\)`,
		`Switching to thread 2`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("gdb output lacks %q:\n%s", re, out)
		}
	}
	target.mu.Lock()
	defer target.mu.Unlock()
	if target.selected['g'] != "2" {
		t.Errorf("Hg selections: %v", target.selected)
	}
}
