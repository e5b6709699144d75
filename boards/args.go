package boards

import (
	"net"
	"strconv"
	"strings"
)

// LoopbackHost is where the gdb stub listens unless RunOptions.GDBHost says
// otherwise: a debug port reachable from the network would let anyone
// rewrite the guest's memory.
const LoopbackHost = "127.0.0.1"

// RunOptions are the per-run choices that are not part of a board.
type RunOptions struct {
	Append  string   // kernel command line (-append, FDT /chosen/bootargs); empty: none
	Debug   bool     // start halted (-S) with a gdb stub on GDBHost:GDBPort
	GDBPort int      // 0: the profile's gdb.port
	GDBHost string   // empty: 127.0.0.1; any other address must be asked for explicitly
	Extra   []string // passed through to QEMU after everything else
}

// QEMUArgs returns QEMU's argument vector (without the binary) that boots
// kernel on this board. Nothing is quoted: pass it to exec.Command.
func (p *Profile) QEMUArgs(kernel string, o RunOptions) []string {
	q := p.QEMU
	args := []string{"-machine", q.Machine, "-m", FormatSize(q.Memory), "-smp", strconv.Itoa(q.CPUs)}
	if q.BIOS != "" {
		args = append(args, "-bios", q.BIOS)
	}
	if q.NoGraphic {
		args = append(args, "-nographic")
	}
	for _, a := range q.KernelArgs {
		args = append(args, strings.ReplaceAll(a, KernelPlaceholder, kernel))
	}
	if o.Append != "" {
		args = append(args, "-append", o.Append)
	}
	if o.Debug {
		args = append(args, "-S", "-gdb", "tcp:"+p.gdbAddr(o.GDBHost, o.GDBPort))
	}
	args = append(args, q.Extra...)
	return append(args, o.Extra...)
}

// GDBCommand returns the command (binary first) that loads kernel's symbols
// and attaches to the stub of a debug run on 127.0.0.1:port (0: the
// profile's port), with the Go runtime's gdb helpers and the kernel's
// source-path script when the image has them (gdbextras.go).
func (p *Profile) GDBCommand(kernel string, port int) []string {
	before, after := gdbExtras(kernel)
	cmd := append([]string{p.GDB.Binary, "-q"}, before...)
	cmd = append(cmd, kernel)
	cmd = append(cmd, after...)
	return append(cmd, "-ex", "target remote "+p.gdbAddr("", port))
}

// gdbAddr is host:port with the loopback and profile defaults applied.
func (p *Profile) gdbAddr(host string, port int) string {
	if host == "" {
		host = LoopbackHost
	}
	if port == 0 {
		port = p.GDB.Port
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// ShellQuote renders argv as one line a POSIX shell reads back unchanged,
// for printing commands the user can copy.
func ShellQuote(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = quoteArg(a)
	}
	return strings.Join(out, " ")
}

func quoteArg(a string) string {
	if a == "" {
		return "''"
	}
	safe := true
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@+%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}
