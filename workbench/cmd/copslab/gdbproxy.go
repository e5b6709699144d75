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
		summary: "forward gdb to a stub (QEMU -gdb) and log each packet pair: gdbproxy --listen ADDR --target ADDR",
		run: func(args []string) error {
			fs := newFlags("gdbproxy", "copslab gdbproxy [--listen 127.0.0.1:2345] [--target 127.0.0.1:1234] [--kernel out/kernel.elf]")
			var o proxy.Options
			o.AddFlags(fs.FlagSet)
			kernel := fs.String("kernel", "", "kernel ELF: be OS-aware, the kernel's threads and coroutines become gdb threads (gdbproxy_os.go)")
			if err := fs.parse(args, 0); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			if *kernel != "" {
				return runOSProxy(ctx, o, *kernel, os.Stdout, nil)
			}
			return o.Run(ctx, os.Stdout, nil)
		},
	})
}
