package client

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"copslab/gdbstub/rsp"
)

// Stop reply kinds (the first byte of the packet).
const (
	StopSignal     = 'S' // Sxx: stopped with signal xx
	StopSignalInfo = 'T' // Txx n:r;...: stopped with signal xx and details
	StopExited     = 'W' // Wxx[;process:pid]: exited with status xx
	StopKilled     = 'X' // Xxx[;process:pid]: terminated by signal xx
	StopOutput     = 'O' // Oxx..: console output, the target keeps running
	StopNoResumed  = 'N' // no thread left to resume
	StopThreadExit = 'w' // wxx;tid: a thread exited (non-stop extension)
)

// Signal numbers GDB uses in stop replies (GDB's own numbering).
const (
	SigInt  = 2 // stopped by an interrupt (0x03)
	SigTrap = 5 // breakpoint, step or watchpoint
)

// StopReply is a parsed stop reply packet.
type StopReply struct {
	Kind     byte
	Signal   int    // T, S, X, w: the signal or status number
	Thread   string // thread:... as sent (e.g. "1" or "p1.1")
	Core     int    // core:..., -1 if absent
	Reason   string // watch, rwatch, awatch, swbreak, hwbreak, library, fork, ...
	Addr     uint64 // data address for watch/rwatch/awatch
	Regs     map[int][]byte
	Fields   []Field // every n:r pair in order, including the above
	Process  string  // W/X: ;process:pid
	Output   []byte  // O: the decoded text
	Raw      string
	ExitCode int // W: exit status (same as Signal)
}

// Field is one n:r pair of a T reply.
type Field struct{ Name, Value string }

var errStop = errors.New("bad stop reply")

// stopReasons are the T fields that name why the target stopped.
var stopReasons = map[string]bool{
	"watch": true, "rwatch": true, "awatch": true, "swbreak": true, "hwbreak": true,
	"library": true, "replaylog": true, "fork": true, "vfork": true, "vforkdone": true,
	"exec": true, "create": true, "syscall_entry": true, "syscall_return": true,
	"no_history": true,
}

// ParseStopReply decodes a stop reply. It never panics; malformed input
// yields an error naming the problem.
func ParseStopReply(p []byte) (StopReply, error) {
	r := StopReply{Raw: string(p), Core: -1}
	if len(p) == 0 {
		return r, fmt.Errorf("%w: empty", errStop)
	}
	r.Kind = p[0]
	body := string(p[1:])
	switch r.Kind {
	case StopNoResumed:
		return r, nil
	case StopOutput:
		out, err := rsp.HexDecode(body)
		r.Output = out
		return r, wrapStop(err)
	case StopSignal, StopSignalInfo, StopExited, StopKilled, StopThreadExit:
	default:
		return r, fmt.Errorf("%w: unknown kind %q in %s", errStop, r.Kind, rsp.Shorten(p, 40))
	}
	if len(body) < 2 {
		return r, fmt.Errorf("%w: missing signal in %s", errStop, rsp.Shorten(p, 40))
	}
	sig, err := strconv.ParseUint(body[:2], 16, 8)
	if err != nil {
		return r, fmt.Errorf("%w: signal %q", errStop, body[:2])
	}
	r.Signal, r.ExitCode = int(sig), int(sig)
	return r, r.parseRest(body[2:])
}

func wrapStop(err error) error {
	if err != nil {
		return fmt.Errorf("%w: %v", errStop, err)
	}
	return nil
}

// parseRest handles what follows the signal.
func (r *StopReply) parseRest(rest string) error {
	switch r.Kind {
	case StopSignal:
		if rest != "" {
			return fmt.Errorf("%w: trailing %q after S", errStop, rest)
		}
		return nil
	case StopExited, StopKilled:
		if rest == "" {
			return nil
		}
		pid, ok := strings.CutPrefix(rest, ";process:")
		if !ok || pid == "" {
			return fmt.Errorf("%w: trailing %q", errStop, rest)
		}
		r.Process = pid
		return nil
	case StopThreadExit:
		tid, ok := strings.CutPrefix(rest, ";")
		if !ok || tid == "" {
			return fmt.Errorf("%w: thread exit without thread id", errStop)
		}
		r.Thread = tid
		return nil
	}
	return r.parseFields(rest)
}

// parseFields decodes the n:r; pairs of a T reply.
func (r *StopReply) parseFields(rest string) error {
	for _, f := range strings.Split(rest, ";") {
		if f == "" {
			continue
		}
		name, value, ok := strings.Cut(f, ":")
		if !ok || name == "" {
			return fmt.Errorf("%w: field %q without name:value", errStop, f)
		}
		r.Fields = append(r.Fields, Field{name, value})
		if err := r.field(name, value); err != nil {
			return err
		}
	}
	return nil
}

func (r *StopReply) field(name, value string) error {
	switch {
	case name == "thread":
		r.Thread = value
	case name == "core":
		n, err := strconv.ParseUint(value, 16, 31)
		if err != nil {
			return fmt.Errorf("%w: core %q", errStop, value)
		}
		r.Core = int(n)
	case stopReasons[name]:
		r.Reason = name
		if name == "watch" || name == "rwatch" || name == "awatch" {
			a, err := rsp.ParseHexUint(value)
			if err != nil {
				return fmt.Errorf("%w: %s address: %v", errStop, name, err)
			}
			r.Addr = a
		}
	case isHex(name):
		n, err := strconv.ParseUint(name, 16, 31)
		if err != nil {
			return fmt.Errorf("%w: register number %q", errStop, name)
		}
		v, err := decodeRegHex(value)
		if err != nil {
			return fmt.Errorf("%w: register %s: %v", errStop, name, err)
		}
		if r.Regs == nil {
			r.Regs = map[int][]byte{}
		}
		r.Regs[int(n)] = v
	}
	// Other names are extensions this client does not know; the spec says
	// to ignore them, and they stay available in Fields.
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if _, err := strconv.ParseUint(s[i:i+1], 16, 8); err != nil {
			return false
		}
	}
	return s != ""
}

// decodeRegHex decodes register hex, where "xx" marks unavailable bytes
// (returned as zero).
func decodeRegHex(s string) ([]byte, error) {
	return rsp.HexDecode(strings.NewReplacer("x", "0", "X", "0").Replace(s))
}

func (r StopReply) String() string {
	switch r.Kind {
	case StopExited:
		return fmt.Sprintf("exited with status %d", r.ExitCode)
	case StopKilled:
		return fmt.Sprintf("terminated by signal %d", r.Signal)
	case StopOutput:
		return fmt.Sprintf("output %q", r.Output)
	}
	s := fmt.Sprintf("stopped with signal %d", r.Signal)
	if r.Reason != "" {
		s += " (" + r.Reason + ")"
	}
	if r.Thread != "" {
		s += " in thread " + r.Thread
	}
	return s
}
