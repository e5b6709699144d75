package server

import (
	"errors"
	"fmt"
)

// Target is the contract every target fulfils: registers in the 'g'
// layout, memory, and run control. Resume blocks until the target stops;
// Interrupt is called from another goroutine while Resume runs.
type Target interface {
	ReadRegisters() ([]byte, error)
	WriteRegisters(b []byte) error
	ReadMemory(addr uint64, n int) ([]byte, error)
	WriteMemory(addr uint64, data []byte) error
	Resume(step bool) (Stop, error)
	Interrupt() error
}

// Optional capabilities. The server answers the matching packets only if
// the target implements the interface; otherwise it sends the empty reply
// ("unsupported") and gdb falls back.

// RegisterTarget reads and writes single registers (p/P).
type RegisterTarget interface {
	ReadRegister(num int) ([]byte, error)
	WriteRegister(num int, val []byte) error
}

// DescribedTarget serves target.xml and its includes (qXfer:features:read).
type DescribedTarget interface {
	TargetXML(annex string) ([]byte, error)
}

// BreakpointTarget inserts and removes breakpoints and watchpoints (Z/z);
// kind is the Z type number 0..4.
type BreakpointTarget interface {
	SetBreakpoint(kind int, addr uint64, size int) error
	ClearBreakpoint(kind int, addr uint64, size int) error
}

// MonitorTarget runs monitor commands (qRcmd).
type MonitorTarget interface {
	Monitor(cmd string) (string, error)
}

// ThreadTarget lists threads (qfThreadInfo/qsThreadInfo, qThreadExtraInfo,
// T, H). The OS-aware proxy will implement it to show the kernel's
// coroutines as threads.
type ThreadTarget interface {
	Threads() ([]Thread, error)
	// SelectThread handles Hg/Hc: op is 'g' (registers, memory) or 'c'
	// (resume); id is as sent ("-1" all, "0" any).
	SelectThread(op byte, id string) error
}

// KillTarget ends the target ('k').
type KillTarget interface {
	Kill() error
}

// Thread is one entry of the thread list.
type Thread struct {
	ID    string // hex thread id as sent on the wire
	Extra string // qThreadExtraInfo text, e.g. "coroutine 3 ready prio 2"
}

// ErrUnsupported from a target method makes the server send the empty
// reply, as if the capability were missing.
var ErrUnsupported = errors.New("gdbstub/server: not supported by this target")

// Errno lets a target error choose the xx of the Exx reply.
type Errno interface{ Errno() int }

// errnoOf maps an error to the Exx number: its Errno, or 1.
func errnoOf(err error) int {
	var e Errno
	if errors.As(err, &e) {
		return e.Errno() & 0xff
	}
	return 1
}

// Stop describes why Resume returned.
type Stop struct {
	Signal   int    // GDB signal number: 5 trap, 2 interrupt
	Reason   string // "", "watch", "rwatch", "awatch", "swbreak", "hwbreak"
	Addr     uint64 // data address for watchpoints
	Thread   string // thread id, "" if none
	Exited   bool   // the target exited with ExitCode (W)
	Killed   bool   // the target was terminated by Signal (X)
	ExitCode int
}

// Encode renders the stop reply packet.
func (s Stop) Encode() string {
	switch {
	case s.Exited:
		return fmt.Sprintf("W%02x", s.ExitCode&0xff)
	case s.Killed:
		return fmt.Sprintf("X%02x", s.Signal&0xff)
	}
	out := fmt.Sprintf("T%02x", s.Signal&0xff)
	if s.Thread != "" {
		out += "thread:" + s.Thread + ";"
	}
	switch s.Reason {
	case "":
	case "watch", "rwatch", "awatch":
		out += fmt.Sprintf("%s:%x;", s.Reason, s.Addr)
	default:
		out += s.Reason + ":;"
	}
	return out
}
