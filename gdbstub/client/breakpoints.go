package client

import "fmt"

// BreakKind is the type number of a Z/z packet.
type BreakKind int

const (
	SoftwareBreakpoint BreakKind = 0 // Z0: the stub patches memory
	HardwareBreakpoint BreakKind = 1 // Z1
	WriteWatchpoint    BreakKind = 2 // Z2
	ReadWatchpoint     BreakKind = 3 // Z3
	AccessWatchpoint   BreakKind = 4 // Z4
)

func (k BreakKind) String() string {
	names := [...]string{"software breakpoint", "hardware breakpoint", "write watchpoint",
		"read watchpoint", "access watchpoint"}
	if k >= 0 && int(k) < len(names) {
		return names[k]
	}
	return fmt.Sprintf("break kind %d", int(k))
}

// SetBreakpoint inserts a breakpoint or watchpoint. For breakpoints size is
// the instruction length (4, or 2 for compressed RISC-V instructions); for
// watchpoints it is the watched length in bytes. An unsupported kind
// returns an error matching ErrUnsupported.
func (c *Client) SetBreakpoint(k BreakKind, addr uint64, size int) error {
	err := c.callOK("set "+k.String(), fmt.Sprintf("Z%d,%x,%x", k, addr, size))
	if err == nil && k <= HardwareBreakpoint {
		c.mu.Lock()
		c.breaks[addr] = breakpoint{k, size}
		c.mu.Unlock()
	}
	return err
}

// breakpoint is one inserted code breakpoint, kept so Continue can step
// over a breakpoint at the current pc.
type breakpoint struct {
	kind BreakKind
	size int
}

// ClearBreakpoint removes what SetBreakpoint inserted.
func (c *Client) ClearBreakpoint(k BreakKind, addr uint64, size int) error {
	err := c.callOK("clear "+k.String(), fmt.Sprintf("z%d,%x,%x", k, addr, size))
	if err == nil && k <= HardwareBreakpoint {
		c.mu.Lock()
		delete(c.breaks, addr)
		c.mu.Unlock()
	}
	return err
}
