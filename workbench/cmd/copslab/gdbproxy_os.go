package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"

	"copslab/gdbstub/client"
	"copslab/gdbstub/proxy"
	"copslab/gdbstub/server"
	"copslab/workbench/gdbos"
	"copslab/workbench/live"
)

// runOSProxy is `copslab gdbproxy --kernel ELF`: instead of forwarding
// bytes it serves gdb itself (package gdbos) on top of one connection to
// the stub, showing the kernel's threads and coroutines as gdb threads.
func runOSProxy(ctx context.Context, o proxy.Options, kernel string, out io.Writer, ready func(string)) error {
	if err := proxy.CheckLoopback(o.Listen, o.AllowRemote); err != nil {
		return err
	}
	im, err := live.LoadImage(kernel)
	if err != nil {
		return err
	}
	c, err := client.Dial(o.Target, client.Options{})
	if err != nil {
		return fmt.Errorf("gdbproxy: connecting to the stub at %s: %w", o.Target, err)
	}
	defer c.Close()
	t, err := gdbos.New(c, im)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "gdbproxy: OS-aware for %s (build id %s), listening on %s, stub %s\n  gdb-multiarch -ex 'target remote %s' %s   then: info threads, thread N, bt\n",
		kernel, im.BuildIDString(), l.Addr(), o.Target, l.Addr(), kernel)
	if ready != nil {
		ready(l.Addr().String())
	}
	// The proxy ends with its stub: a gdb connecting after QEMU exited
	// would only meet errors.
	go func() {
		select {
		case <-ctx.Done():
		case <-c.Done():
		}
		l.Close()
	}()
	var opts server.Options
	if !o.Quiet {
		opts.Verbose = log.New(out, "gdbproxy: ", 0)
	}
	err = server.ListenAndServe(l, t, opts)
	select {
	case <-c.Done():
		if ctx.Err() == nil {
			return fmt.Errorf("gdbproxy: the stub at %s went away (QEMU exited or was killed)", o.Target)
		}
	default:
	}
	return err
}
