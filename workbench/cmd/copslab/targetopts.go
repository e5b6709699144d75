package main

import (
	"fmt"
	"os"

	"copslab/workbench/config"
	"copslab/workbench/target"
)

// targetOptions turns the configuration into target options; progress
// lines (QEMU launch, connect, build id check) go to stderr.
func targetOptions(cfg *config.Config) target.Options {
	return target.Options{
		Kind:     cfg.String("target.kind"),
		Scenario: cfg.String("target.scenario"),
		QEMU: target.QEMUOptions{
			Kernel: cfg.String("kernel.elf"),
			Board:  cfg.String("board.profile"),
			QEMU:   cfg.String("qemu.path"),
			Attach: cfg.String("qemu.attach"),
			Append: cfg.String("kernel.append"),
			Progress: func(s string) {
				fmt.Fprintln(os.Stderr, "copslab:", s)
			},
		},
	}
}
