// Command qemuboot boots a kernel image on a board described by a profile
// (boards/*.yaml), with QEMU attached to this terminal. `make run`, `make
// qemu` and `make debug` call it.
//
//	go run ./boards/cmd/qemuboot -board boards/qemu-virt.yaml -kernel out/kernel.elf [-append selftest]
//	go run ./boards/cmd/qemuboot -board boards/qemu-virt.yaml -kernel out/kernel.elf -debug -gdb-port 1234
//	go run ./boards/cmd/qemuboot ... -- -d int       (arguments after -- go to QEMU)
//
// With -debug the machine starts halted with a gdb stub on 127.0.0.1 (use
// -gdb-host to bind elsewhere) and the gdb-multiarch command that attaches
// with symbols is printed first. -print only prints the QEMU command.
// QEMU's exit status becomes ours. With -nographic, Ctrl-A x quits QEMU.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"

	"copslab/boards"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status. QEMU
// itself always gets this process's stdin, stdout and stderr.
func run(argv []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qemuboot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	board := fs.String("board", "boards/qemu-virt.yaml", "board profile (YAML)")
	kernel := fs.String("kernel", "out/kernel.elf", "kernel ELF image")
	debug := fs.Bool("debug", false, "start halted with a gdb stub and print the gdb command")
	port := fs.Int("gdb-port", 0, "gdb stub TCP port (0: the profile's gdb.port)")
	host := fs.String("gdb-host", "", "address the gdb stub binds to (default 127.0.0.1; anything else exposes the guest)")
	appendArgs := fs.String("append", "", "kernel command line (FDT /chosen/bootargs), e.g. selftest")
	printOnly := fs.Bool("print", false, "print the QEMU command instead of running it")
	if err := fs.Parse(argv); err != nil {
		return 2
	}
	p, err := boards.Load(*board)
	if err != nil {
		fmt.Fprintln(stderr, "qemuboot:", err)
		return 2
	}
	if p.Hardware != nil {
		fmt.Fprintf(stderr, "qemuboot: %s is a hardware board (%s), not a QEMU machine; boards/README.md says how to load it\n", p.Name, p.Hardware)
		return 2
	}
	if _, err := os.Stat(*kernel); err != nil && !*printOnly {
		fmt.Fprintf(stderr, "qemuboot: kernel image: %v (build it with `make kernel`)\n", err)
		return 2
	}
	opts := boards.RunOptions{Append: *appendArgs, Debug: *debug, GDBPort: *port, GDBHost: *host, Extra: fs.Args()}
	cmdline := append([]string{p.QEMU.Binary}, p.QEMUArgs(*kernel, opts)...)
	if *printOnly {
		fmt.Fprintln(stdout, boards.ShellQuote(cmdline))
		return 0
	}
	if *debug {
		printDebugHelp(stderr, p, *kernel, *port, *host)
	}
	return runAttached(cmdline, stderr)
}

// printDebugHelp tells the user how to attach before QEMU takes the terminal.
func printDebugHelp(w io.Writer, p *boards.Profile, kernel string, port int, host string) {
	fmt.Fprintln(w, "qemuboot: machine halted, waiting for gdb. In another terminal run:")
	fmt.Fprintln(w, "  "+boards.ShellQuote(p.GDBCommand(kernel, port)))
	if host != "" && host != boards.LoopbackHost {
		fmt.Fprintf(w, "qemuboot: warning: gdb stub bound to %s, reachable from other hosts\n", host)
	}
	fmt.Fprintln(w, "qemuboot: then `continue` in gdb; Ctrl-A x quits QEMU")
}

// runAttached runs the command on this terminal and returns its exit code.
func runAttached(cmdline []string, stderr io.Writer) int {
	cmd := exec.Command(cmdline[0], cmdline[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		if exitErr.ExitCode() < 0 {
			return 1
		}
		return exitErr.ExitCode()
	default:
		fmt.Fprintln(stderr, "qemuboot:", err)
		return 127
	}
}
