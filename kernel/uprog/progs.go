package uprog

import "sort"

// Program is a built-in user program.
type Program struct {
	Name string
	Doc  string
	ELF  []byte
}

// Sys numbers used (Linux riscv64, asm-generic/unistd.h).
const (
	sysRead      = 63
	sysWrite     = 64
	sysExitGroup = 94
	sysGetpid    = 172
	sysYield     = 124
	sysClone     = 220
)

// YieldRounds is how many sched_yield calls "yieldbench"'s main thread makes.
const YieldRounds = 1000

// HelloText is what the "uhello" program writes.
const HelloText = "hello from user mode\n"

// NullsysCalls is how many system calls "nullsys" makes.
const NullsysCalls = 1000

var programs = map[string]Program{}

func add(name, doc string, code []uint32, data []byte) {
	programs[name] = Program{name, doc, executable(code, data)}
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

	// pyield: nullsys with sched_yield instead of getpid. Two of them
	// side by side (runall pyield pyield) switch processes on every call.
	add("pyield", "times YieldRounds sched_yield calls (a1, a2 at exit); run two with runall", []uint32{
		li(s2, YieldRounds), csrr(s0, csrCycle), csrr(s1, csrInstret),
		li(a7, sysYield), ecall(), addi(s2, s2, -1), bne(s2, zero, -12),
		csrr(t0, csrCycle), csrr(t1, csrInstret), sub(a1, t0, s0), sub(a2, t1, s1),
		li(a0, 0), li(a7, sysExitGroup), ecall(),
	}, nil)

	// ucat: copy fd 0 to fd 1, 64 bytes at a time, until read returns
	// 0 (end of file) or an error; exit with 0.
	add("ucat", "copies console input to output until end of file (Ctrl-D)", []uint32{
		li(a0, 0), addi(a1, sp, -256), li(a2, 64), li(a7, sysRead), ecall(), // loop:
		bge(zero, a0, 4*7), // a0 <= 0: done
		addi(a2, a0, 0), li(a0, 1), addi(a1, sp, -256), li(a7, sysWrite), ecall(),
		j(-4 * 11),
		li(a0, 0), li(a7, sysExitGroup), ecall(), // done:
	}, nil)

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
