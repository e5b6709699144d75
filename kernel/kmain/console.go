//go:build copslab

package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// console is the interactive console on the UART. Input arrives by
// interrupt (PLIC → UART receive ring in the runtime layer); os.Stdin is
// on the runtime's poller, so a read parks this goroutine until then.
// Typed characters are echoed; a line is a command.
func console(m *machine) int {
	fmt.Println("copslab: console ready; type 'help'")
	prompt()
	var line []byte
	buf := make([]byte, 64)
	for {
		n, err := os.Stdin.Read(buf)
		if err != nil {
			fmt.Println("copslab: console:", err)
			return 1
		}
		for _, c := range buf[:n] {
			switch c {
			case '\r', '\n':
				os.Stdout.Write([]byte("\n"))
				if code, quit := command(m, strings.TrimSpace(string(line))); quit {
					return code
				}
				line = line[:0]
				prompt()
			case 0x7f, '\b':
				if len(line) > 0 {
					line = line[:len(line)-1]
					os.Stdout.Write([]byte("\b \b"))
				}
			default:
				line = append(line, c)
				os.Stdout.Write([]byte{c})
			}
		}
	}
}

func prompt() { os.Stdout.Write([]byte("copslab> ")) }

// command runs one console line; quit reports that the console ends.
func command(m *machine, line string) (code int, quit bool) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return 0, false
	}
	switch f[0] {
	case "help":
		fmt.Println("commands: help, echo TEXT, stats, selftest, gc, panic, run [VAR=value...] NAME ARGS..., halt [status]")
	case "echo":
		fmt.Println(strings.Join(f[1:], " "))
	case "stats":
		printStats(m)
	case "selftest":
		selftest(m)
	case "run":
		if len(f) < 2 {
			fmt.Println("run: name a program")
			break
		}
		runOnce(m, f[1:], 0, true)
	case "gc":
		runtime.GC()
		fmt.Println("gc done")
	case "panic":
		crash()
	case "halt":
		code := 0
		if len(f) > 1 {
			fmt.Sscan(f[1], &code)
		}
		fmt.Println("copslab: halting with status", code)
		return code, true
	default:
		fmt.Printf("unknown command %q; type 'help'\n", f[0])
	}
	return 0, false
}

// printStats prints the trap counters and memory use.
func printStats(m *machine) {
	st := rtStats()
	fmt.Printf("stats: ticks %d, timer irqs %d, external irqs %d, uart rx bytes %d, preemptions %d (async %d)\n",
		ticks, st.timer, st.external, st.rxBytes, st.preempts, st.asyncPreempts)
	up := mtimeNow()
	idle := time.Duration(rtIdle())
	fmt.Printf("stats: up %v, idle %v (%.0f%%)\n", up.Round(time.Millisecond), idle.Round(time.Millisecond),
		100*idle.Seconds()/up.Seconds())
	fmt.Printf("stats: syscalls %d, unknown %d (last nr %d; distinct %v); from user mode %d\n", st.syscalls, st.unknown, st.lastUnknown, rtUnknownSyscalls(), rtUserStats())
	lo, bump, limit, inUse, peak := rtMem()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	pool := 0
	if m.frames != nil {
		pool = m.frames.Total() * 4096
	}
	fmt.Printf("stats: mem image+bss end %#x, runtime mapped %d KiB (peak %d KiB), bump %#x, limit %#x, free %d MiB, frame pool %d MiB, Go Sys %d KiB, HeapSys %d KiB\n",
		lo, inUse>>10, peak>>10, bump, limit, (limit-bump)>>20, pool>>20, ms.Sys>>10, ms.HeapSys>>10)
}
