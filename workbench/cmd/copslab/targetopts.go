package main

import (
	"fmt"
	"os"
	"os/exec"

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
			Stub:   cfg.String("qemu.stub"),
			Progress: func(s string) {
				fmt.Fprintln(os.Stderr, "copslab:", s)
			},
		},
	}
}

// openTarget opens the configured target. Kind "auto" (what make run
// asks for) takes the kernel in QEMU when QEMU and the kernel ELF are
// there and it boots, else the sandbox; the notice says which and why,
// for the window.
func openTarget(cfg *config.Config) (target.Target, string, error) {
	o := targetOptions(cfg)
	switch o.Kind {
	case "auto":
	case "sandbox", "":
		tg, err := target.Open(o)
		return tg, "Host sandbox (chosen): the real scheduler code on a virtual clock. The kernel in QEMU: copslab --target qemu, or make run.", err
	default:
		tg, err := target.Open(o)
		return tg, "", err
	}
	o.Kind = "qemu"
	why := ""
	if _, err := exec.LookPath(o.QEMU.QEMU); err != nil {
		why = fmt.Sprintf("QEMU (%s) is not installed — scripts/prereqs.sh base installs it", o.QEMU.QEMU)
	} else if _, err := os.Stat(o.QEMU.Kernel); err != nil {
		why = fmt.Sprintf("no kernel ELF at %s — make kernel builds it", o.QEMU.Kernel)
	} else {
		tg, err := target.Open(o)
		if err == nil {
			return tg, "", nil
		}
		why = "the kernel did not start: " + err.Error()
	}
	o.Kind = "sandbox"
	tg, err := target.Open(o)
	return tg, "Host sandbox, not the kernel: " + why + ".", err
}
