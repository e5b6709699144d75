package uprog

import (
	"fmt"
	"sort"
)

// Program is a built-in user program.
type Program struct {
	Name  string
	Doc   string
	ELF   []byte
	Bench *Bench // how it reports a measurement (nil: it does not)
}

// Bench is how a benchmark program hands its result to the kernel: it
// exits with status 0, the cycles it measured in a1 and the retired
// instructions in a2, over Calls calls of Per events each. The kernel
// prints "copslab: NAME" + Format with the arguments (Calls, cycles per
// event, instructions per event, pid).
type Bench struct {
	Format     string
	Calls, Per int
}

// Sys numbers used (Linux riscv64, asm-generic/unistd.h).
const (
	sysPipe2     = 59
	sysRead      = 63
	sysWrite     = 64
	sysExitGroup = 94
	sysFutex     = 98
	sysNanosleep = 101
	sysGetpid    = 172
	sysYield     = 124
	sysClone     = 220
)

// YieldRounds is how many sched_yield calls "yieldbench"'s main thread makes.
const YieldRounds = 1000

// BlockedCounts are the blocked-thread counts of the "blockedN" programs.
var BlockedCounts = []int{1, 64, 1000}

// HelloText is what the "uhello" program writes.
const HelloText = "hello from user mode\n"

// NullsysCalls is how many system calls "nullsys" makes.
const NullsysCalls = 1000

var programs = map[string]Program{}

func add(name, doc string, code []uint32, data []byte) {
	programs[name] = Program{Name: name, Doc: doc, ELF: executable(code, data)}
}

// bench marks name as a benchmark reporting with format (see Bench).
func bench(name, format string, calls, per int) {
	p := programs[name]
	p.Bench = &Bench{Format: format, Calls: calls, Per: per}
	programs[name] = p
}

func init() {
	// uhello: write(1, msg, len) then exit_group(7).
	msg := []byte(HelloText)
	add("uhello", "writes a line, exits with status 7", []uint32{
		auipc(a1, 0), addi(a1, a1, 4*9), // a1 = the data after the 9 instructions
		li(a0, 1), li(a2, int32(len(msg))), li(a7, sysWrite), ecall(),
		li(a7, sysExitGroup), li(a0, 7), ecall(),
	}, msg)

	// efault: write(1, 0x1000, 5) with 0x1000 unmapped; exit_group(-result),
	// so the status is EFAULT (14) if the kernel rejected the pointer.
	add("efault", "passes an unmapped buffer to write, exits with -result (14 = EFAULT)", []uint32{
		li(a0, 1), lui(a1, 1), li(a2, 5), li(a7, sysWrite), ecall(),
		sub(a0, zero, a0), li(a7, sysExitGroup), ecall(),
	}, nil)

	// segv: load from address 0.
	add("segv", "loads from address 0 (load page fault)", []uint32{
		ld(a0, zero, 0), li(a7, sysExitGroup), ecall(),
	}, nil)

	// illegal: an all-zero instruction word.
	add("illegal", "executes an illegal instruction", []uint32{0}, nil)

	// kernelmem: reads the kernel's own memory at 0x80000000, which is
	// not mapped in the user's page table.
	add("kernelmem", "loads from 0x80000000 (kernel memory, not mapped)", []uint32{
		li(t0, 1), slli(t0, t0, 31), ld(a0, t0, 0), li(a7, sysExitGroup), ecall(),
	}, nil)

	// nullsys: NullsysCalls getpid calls between two reads of cycle and
	// instret; exit_group(0) with the differences in a1 (cycles) and
	// a2 (instructions).
	add("nullsys", "times getpid round trips with rdcycle/rdinstret (a1, a2 at exit)", []uint32{
		li(s2, NullsysCalls), csrr(s0, csrCycle), csrr(s1, csrInstret),
		li(a7, sysGetpid), ecall(), addi(s2, s2, -1), bne(s2, zero, -12),
		csrr(t0, csrCycle), csrr(t1, csrInstret), sub(a1, t0, s0), sub(a2, t1, s1),
		li(a0, 0), li(a7, sysExitGroup), ecall(),
	}, nil)
	bench("nullsys", ": %[1]d getpid round trips U->M->kernel Go->U: %[2]d cycles, %[3]d instructions each", NullsysCalls, 1)

	// yieldbench: clone a thread (CLONE_VM|CLONE_SIGHAND|CLONE_THREAD,
	// stack 2 KiB below ours) that calls sched_yield forever; the main
	// thread times YieldRounds sched_yield calls, each of which switches
	// to the other thread and back (two thread switches per round), and
	// exits like nullsys (a1 = cycles, a2 = instructions).
	add("yieldbench", "two threads ping-pong with sched_yield; a1, a2 at exit time the rounds", []uint32{
		lui(a0, 0x11), addi(a0, a0, -0x700), // 0x10900 = CLONE_VM|CLONE_SIGHAND|CLONE_THREAD
		addi(a1, sp, -2048), li(a7, sysClone), ecall(),
		beq(a0, zero, 4*15), // child → the loop at the end
		li(s2, YieldRounds), csrr(s0, csrCycle), csrr(s1, csrInstret),
		li(a7, sysYield), ecall(), addi(s2, s2, -1), bne(s2, zero, -12),
		csrr(t0, csrCycle), csrr(t1, csrInstret), sub(a1, t0, s0), sub(a2, t1, s1),
		li(a0, 0), li(a7, sysExitGroup), ecall(),
		// child:
		li(a7, sysYield), ecall(), j(-8),
	}, nil)
	bench("yieldbench", ": %[1]d sched_yield rounds (2 thread switches each): %[2]d cycles, %[3]d instructions per switch", YieldRounds, 2)

	// pyield: nullsys with sched_yield instead of getpid. Two of them
	// side by side (runall pyield pyield) switch processes on every call.
	add("pyield", "times YieldRounds sched_yield calls (a1, a2 at exit); run two with runall", []uint32{
		li(s2, YieldRounds), csrr(s0, csrCycle), csrr(s1, csrInstret),
		li(a7, sysYield), ecall(), addi(s2, s2, -1), bne(s2, zero, -12),
		csrr(t0, csrCycle), csrr(t1, csrInstret), sub(a1, t0, s0), sub(a2, t1, s1),
		li(a0, 0), li(a7, sysExitGroup), ecall(),
	}, nil)
	bench("pyield", " (pid %[4]d): %[1]d sched_yield calls: %[2]d cycles, %[3]d instructions each", YieldRounds, 1)

	// ucat: copy fd 0 to fd 1, 64 bytes at a time, until read returns
	// 0 (end of file) or an error; exit with 0.
	add("ucat", "copies console input to output until end of file (Ctrl-D)", []uint32{
		li(a0, 0), addi(a1, sp, -256), li(a2, 64), li(a7, sysRead), ecall(), // loop:
		bge(zero, a0, 4*7), // a0 <= 0: done
		addi(a2, a0, 0), li(a0, 1), addi(a1, sp, -256), li(a7, sysWrite), ecall(),
		j(-4 * 11),
		li(a0, 0), li(a7, sysExitGroup), ecall(), // done:
	}, nil)

	// blockedN (N = 1, 64, 1000): yieldbench with N more threads that
	// block — one in three on a pipe read, one in three on a futex
	// word, one in three in a 1000-second nanosleep. The main thread
	// times YieldRounds sched_yield calls, each two thread switches
	// (main → yielder → main), i.e. two full scheduling decisions with
	// N threads blocked: the cost should not grow with N.
	for _, n := range BlockedCounts {
		add(fmt.Sprintf("blocked%d", n), fmt.Sprintf("yieldbench beside %d threads blocked on pipe/futex/sleep (a1, a2 at exit)", n), []uint32{
			lui(a0, 0x11), addi(a0, a0, -0x700), addi(a1, sp, -2048), li(a7, sysClone), ecall(),
			beq(a0, zero, 4*54),                                     // the yielder → the end
			addi(a0, sp, -16), li(a1, 0), li(a7, sysPipe2), ecall(), // fds at sp-16
			li(t0, 1000), sd(t0, sp, -64), sd(zero, sp, -56), // timespec{1000 s} at sp-64
			li(s3, int32(n)),
			// loop: clone a thread (no stack of its own: it only makes system calls)
			lui(a0, 0x11), addi(a0, a0, -0x700), addi(a1, sp, 0), li(a7, sysClone), ecall(),
			beq(a0, zero, 4*17), // child → its wait below
			addi(s3, s3, -1), bne(s3, zero, -4*7),
			li(s2, YieldRounds), csrr(s0, csrCycle), csrr(s1, csrInstret),
			li(a7, sysYield), ecall(), addi(s2, s2, -1), bne(s2, zero, -12),
			csrr(t0, csrCycle), csrr(t1, csrInstret), sub(a1, t0, s0), sub(a2, t1, s1),
			li(a0, 0), li(a7, sysExitGroup), ecall(),
			// child: s3 mod 3 chooses the wait
			li(t0, 3), remu(t1, s3, t0), beq(t1, zero, 4*8), li(t0, 1), beq(t1, t0, 4*12),
			addi(a0, sp, -64), li(a1, 0), li(a7, sysNanosleep), ecall(), j(-4 * 4), // sleep
			lw(a0, sp, -16), addi(a1, sp, -128), li(a2, 1), li(a7, sysRead), ecall(), j(-4 * 5), // read the pipe
			addi(a0, sp, -32), li(a1, 128), li(a2, 0), li(a3, 0), li(a7, sysFutex), ecall(), j(-4 * 6), // futex wait
			li(a7, sysYield), ecall(), j(-8), // the yielder
		}, nil)
		bench(fmt.Sprintf("blocked%d", n), ": %[1]d sched_yield rounds (2 thread switches each) beside "+fmt.Sprint(n)+" blocked threads: %[2]d cycles, %[3]d instructions per switch", YieldRounds, 2)
	}

	// uspin: an endless loop without system calls.
	add("uspin", "loops forever without system calls", []uint32{j(0)}, nil)
}

// Lookup returns the built-in program called name.
func Lookup(name string) (Program, bool) {
	p, ok := programs[name]
	return p, ok
}

// Names lists the built-in programs in order.
func Names() []string {
	var ns []string
	for n := range programs {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}
