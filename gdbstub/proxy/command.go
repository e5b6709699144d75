package proxy

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/spf13/pflag"

	"copslab/gdbstub/rsp"
)

// DefaultListen and DefaultTarget are the command's defaults: gdb connects
// to the proxy on 2345, QEMU's -s stub listens on 1234.
const (
	DefaultListen = "127.0.0.1:2345"
	DefaultTarget = "127.0.0.1:1234"
)

// Options are the settings of `copslab gdbproxy`.
type Options struct {
	Listen      string // address gdb connects to
	Target      string // the stub's address
	AllowRemote bool   // allow a non-loopback Listen
	LogBytes    int    // bytes of each packet shown in the log
	Quiet       bool   // log no packets
}

// AddFlags registers the options as GNU-style flags (--listen ADDR), with
// the defaults filled in.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Listen, "listen", DefaultListen, "address gdb connects to")
	fs.StringVar(&o.Target, "target", DefaultTarget, "address of the target's gdb stub (QEMU -gdb)")
	fs.BoolVar(&o.AllowRemote, "allow-remote", false, "allow a non-loopback --listen address")
	fs.IntVar(&o.LogBytes, "log-bytes", rsp.DefaultLogBytes, "bytes of each packet shown in the log")
	fs.BoolVar(&o.Quiet, "quiet", false, "do not log packets")
}

// Command parses args as `copslab gdbproxy` does and runs it.
func Command(ctx context.Context, args []string, out io.Writer, ready func(addr string)) error {
	fs := pflag.NewFlagSet("gdbproxy", pflag.ContinueOnError)
	fs.SetOutput(out)
	var o Options
	o.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o.Run(ctx, out, ready)
}

// Run listens (loopback only unless AllowRemote) and proxies gdb sessions
// until ctx ends. The packet log goes to out. ready, if not nil, receives
// the listening address once the proxy accepts connections.
func (o *Options) Run(ctx context.Context, out io.Writer, ready func(addr string)) error {
	if err := CheckLoopback(o.Listen, o.AllowRemote); err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return err
	}
	p := &Proxy{Target: o.Target, Log: out, LogBytes: o.LogBytes}
	if o.Quiet {
		p.Log = nil
	}
	fmt.Fprintf(out, "gdbproxy: listening on %s, forwarding to %s\n  gdb-multiarch -ex 'target remote %s' out/kernel.elf\n",
		l.Addr(), o.Target, l.Addr())
	if ready != nil {
		ready(l.Addr().String())
	}
	go func() { <-ctx.Done(); l.Close() }()
	return p.Serve(l)
}
