package main

import (
	"context"
	"os"
	"os/signal"

	"copslab/gdbstub/proxy"
)

// gdbproxy: copslab gdbproxy --listen 127.0.0.1:2345 --target 127.0.0.1:1234
// sits between gdb and a stub and logs every packet pair with its timing.
func init() {
	register(&command{
		name:    "gdbproxy",
		summary: "forward gdb to a stub (QEMU -gdb) and log each packet pair",
		run: func(args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return proxy.Command(ctx, args, os.Stdout, nil)
		},
	})
}
