package proxy

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"

	"copslab/gdbstub/rsp"
)

// DefaultListen and DefaultTarget are the command's defaults: gdb connects
// to the proxy on 2345, QEMU's -s stub listens on 1234.
const (
	DefaultListen = "127.0.0.1:2345"
	DefaultTarget = "127.0.0.1:1234"
)

// Command implements `copslab gdbproxy`: it parses args, listens (loopback
// only unless --allow-remote), and proxies gdb sessions until ctx ends.
// The packet log goes to out. ready, if not nil, receives the listening
// address once the proxy accepts connections.
func Command(ctx context.Context, args []string, out io.Writer, ready func(addr string)) error {
	fs := flag.NewFlagSet("gdbproxy", flag.ContinueOnError)
	fs.SetOutput(out)
	listen := fs.String("listen", DefaultListen, "address gdb connects to")
	target := fs.String("target", DefaultTarget, "address of the target's gdb stub (QEMU -gdb)")
	remote := fs.Bool("allow-remote", false, "allow a non-loopback --listen address")
	logBytes := fs.Int("log-bytes", rsp.DefaultLogBytes, "bytes of each packet shown in the log")
	quiet := fs.Bool("quiet", false, "do not log packets")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := CheckLoopback(*listen, *remote); err != nil {
		return err
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	p := &Proxy{Target: *target, Log: out, LogBytes: *logBytes}
	if *quiet {
		p.Log = nil
	}
	fmt.Fprintf(out, "gdbproxy: listening on %s, forwarding to %s\n  gdb-multiarch -ex 'target remote %s' prog.elf\n",
		l.Addr(), *target, l.Addr())
	if ready != nil {
		ready(l.Addr().String())
	}
	go func() { <-ctx.Done(); l.Close() }()
	return p.Serve(l)
}
