//go:build copslab

package runtime

// The kernel-level gdb stub: a polling monitor in trap context that stops
// the whole kernel, for boards without JTAG (QEMU sifive_u's second UART
// stands in for one here). kernel/kgdb debugs one user program while the
// kernel runs on; this stub debugs the kernel itself, as QEMU's own stub
// does: while gdb holds it, no goroutine, no interrupt and no user
// program runs, so memory reads of kernel symbols (the trace ring, the
// thread table) see a still picture.
//
// # Why in trap context, and why not gdbstub/server
//
// The only code that can hold the one hart still is the trap handler:
// with mscratch = 0 and interrupts off nothing else runs. Code there must
// not allocate (the interrupted goroutine may hold the heap's locks), must
// not run write barriers and must not block, so the Go RSP server
// (goroutines, maps, channels) cannot serve here. This file is therefore
// a small allocation-free RSP server over fixed buffers: it polls the
// UART byte by byte, reads one packet, answers it and returns only when
// gdb resumes. The decisions it shares with the user-program stub stay in
// kernel/kgdb and come in through copslabKgdbArm: the target description
// (register order) and the next-pc decoder for software single-step.
//
// # When it stops the kernel
//
//   - copslabKgdbBreak (an ebreak the kernel executes on purpose: boot
//     option kgdb=wait), silently: gdb connects to a halted kernel.
//   - A breakpoint of gdb's (an ebreak written into kernel text while the
//     kernel runs, taken out while it is stopped) or the end of a step.
//   - A byte on the line: the UART's receive interrupt (through the PLIC,
//     when the board names the line's interrupt source), every timer tick
//     (100 Hz) and every turn of the idle loop look at the UART. gdb's
//     interrupt (0x03) stops with SIGINT; the start of a packet ('$': a
//     new gdb session) stops silently and the packet is served.
//     Acknowledgements are dropped.
//
// The stopped context is the trap's frame: kernel code, the idle loop's
// system call, or a user program (then pc and registers are the user's;
// single-step answers an error there, since its successors are user
// virtual addresses). One gdb thread stands for the hart.
//
// # Single-step
//
// RISC-V has no single-step trap below debug mode: the step puts ebreaks
// on the instruction's possible successors and resumes with interrupts
// off for that one instruction (mstatus.MPIE cleared, restored at the
// step's stop), so a timer tick cannot run the trap handler in between.
//
// # Limits
//
// A breakpoint in code the trap handler runs (runtime.bm*, nosplit
// helpers it calls) traps inside the trap handler: the machine takes every
// breakpoint out, reports a nested trap and powers off. The one exception
// is the power-off function bmExit, whose breakpoint is emulated (the
// kernel also powers off from trap context): the kernel stops as if it
// had hit it (bmKgdbAtExit). Memory access is limited to RAM and the
// CLINT (mtime): other device registers have side effects on read. mtime
// keeps counting while the kernel is stopped (QEMU's own stub stops the
// virtual clock); the next tick then arrives at once. No watchpoints.

import (
	"internal/abi"
	"unsafe"
)

const (
	bmKgdbPacket = 4096 // PacketSize announced to gdb (hex 1000)
	bmKgdbBreaks = 64   // gdb's breakpoints at once
	bmKgdbThread = "1"  // the hart's gdb thread id
)

// bmKgdbBp is one breakpoint: its address, length (2: c.ebreak, 4:
// ebreak; 0: free slot) and, while in memory, the bytes it replaced.
type bmKgdbBp struct {
	addr uint64
	size uint64
	orig [4]byte
	in   bool
}

// bmKgdb is the monitor's state. Written by copslabKgdbArm (goroutine
// context) and then only in trap context, where pointers are not stored
// (frame is a uintptr): no write barriers.
var bmKgdb struct {
	armed        bool
	uart         uintptr
	uartKind     uint32
	irq          uint32 // the line's PLIC source; 0: polled only
	ramLo, ramHi uint64
	xml          string // target description (kernel/kgdb)
	next         func(pc uint64, insn uint32, x *[32]uint64) ([2]uint64, int)
	breakPC      uint64 // the ebreak of bmKgdbBreak
	exitPC       uint64 // bmExit: its breakpoint is emulated (bmKgdbAtExit)
	exitFrame    bmTrapFrame
	frame        uintptr // the latest trap frame (*bmTrapFrame)
	peek         int32   // a byte taken by the break-in poll; -1: none

	bps       [bmKgdbBreaks]bmKgdbBp
	steps     [2]bmKgdbBp
	stepping  bool   // resumed by a step: steps are in memory
	stepMPIE  bool   // interrupts were on before the step
	resumed   bool   // a continue or step waits for its stop reply
	served    bool   // a gdb request has been served since arming
	noAck     bool   // QStartNoAckMode: no '+' or '-'
	noAckNext bool   // noAck from the next packet on
	nap       uint64 // the next bmKgdbNap, in mtime units
	sig       byte   // signal of the last stop

	in   [bmKgdbPacket]byte
	nin  int
	out  [bmKgdbPacket + 16]byte
	nout int
}

// func bmKgdbBreak() and bmFenceI() (kgdb_riscv64.s).
func bmKgdbBreak()
func bmFenceI()

// copslabKgdbArm turns the monitor on: uart is the line's SiFive UART
// (registers at uart) and irq its PLIC source (0: none, the line is
// polled), [ramLo, ramHi) the memory gdb may read and write, xml the
// target description and next the step decoder. Goroutine context, once.
//
//go:linkname copslabKgdbArm
func copslabKgdbArm(uart uintptr, irq uint32, ramLo, ramHi uint64, xml string, next func(uint64, uint32, *[32]uint64) ([2]uint64, int)) {
	bmKgdb.uart, bmKgdb.uartKind = uart, bmUartSiFive
	if irq != 0 && bmBoard.plic != 0 {
		// Receive interrupt at one byte (watermark 0); the external
		// interrupt it raises brings the trap vector to bmKgdbTrap.
		bmStore32(uart+bmSifiveRxctrl, bmSifiveRxen)
		bmStore32(uart+bmSifiveIE, bmSifiveIERxwm)
		bmPLICEnable(irq, bmBoard.plicCtx)
		bmKgdb.irq = irq
	}
	bmKgdb.ramLo, bmKgdb.ramHi = ramLo, ramHi
	bmKgdb.xml, bmKgdb.next = xml, next
	bmKgdb.breakPC = uint64(abi.FuncPCABI0(bmKgdbBreak))
	bmKgdb.exitPC = uint64(abi.FuncPCABIInternal(bmExit))
	bmKgdb.peek = -1
	bmKgdb.sig = 5
	bmKgdb.armed = true
}

// copslabKgdbBreak stops the kernel here until gdb resumes it.
//
//go:linkname copslabKgdbBreak
func copslabKgdbBreak() { bmKgdbBreak() }

// bmKgdbTrap is called first for every trap while the monitor is armed.
// It reports true when the trap was the monitor's own (a breakpoint) and
// is fully handled.
//
//go:nosplit
//go:nowritebarrierrec
func bmKgdbTrap(f *bmTrapFrame) bool {
	bmKgdb.frame = uintptr(unsafe.Pointer(f))
	if !bmFromUser(f) {
		bmTrapGInit(f) // (a user trap's x27 is no g; bmTrapG's stack is set by then)
	}
	if f.mcause == bmExcBreakpoint && !bmFromUser(f) {
		return bmKgdbBreakpoint(f)
	}
	if (f.mcause == bmCauseInterrupt|bmIntMachineTimer || f.mcause == bmCauseInterrupt|bmIntMachineExt) && bmKgdbPending() {
		bmKgdbStop(f, 2)
	}
	return false // the interrupt is served as usual (the line's source is claimed and completed there)
}

// bmKgdbIdlePoll is the idle loop's break-in check: the stopped context
// is the system call that idles.
//
//go:nosplit
//go:nowritebarrierrec
func bmKgdbIdlePoll() {
	if bmKgdb.armed && bmKgdb.frame != 0 && bmKgdbPending() {
		bmKgdbStop((*bmTrapFrame)(unsafe.Pointer(bmKgdb.frame)), 2)
	}
}

// bmKgdbBreakpoint handles a kernel ebreak: the deliberate break, the
// end of a step, or one of gdb's breakpoints; anything else is not ours.
//
//go:nowritebarrierrec
func bmKgdbBreakpoint(f *bmTrapFrame) bool {
	pc := f.mepc
	switch {
	case pc == bmKgdb.breakPC:
		f.mepc += 4 // go on after it
		if !bmKgdb.served {
			bmKgdbStop(f, 5)
		}
		// else gdb came first (its bytes stopped the kernel between
		// arming and this break) and has let it run already: no wait.
		return true
	case bmKgdb.stepping && (bmKgdb.steps[0].in && bmKgdb.steps[0].addr == pc || bmKgdb.steps[1].in && bmKgdb.steps[1].addr == pc):
		bmKgdbStop(f, 5)
		return true
	}
	for i := range bmKgdb.bps {
		if b := &bmKgdb.bps[i]; b.in && b.addr == pc {
			bmKgdbStop(f, 5)
			return true
		}
	}
	return false
}

// bmKgdbAtExit emulates a breakpoint on bmExit, which cannot be an
// ebreak: the kernel powers off from trap context too (exit_group), where
// an ebreak would be a trap inside the trap handler. If gdb has a
// breakpoint there, the kernel stops as if it had hit it, in a frame
// with pc = bmExit and a0 = the status; continuing powers off.
//
//go:nosplit
//go:nowritebarrierrec
func bmKgdbAtExit(code int32, sp, ra uintptr) {
	if !bmKgdb.armed || !bmKgdbHas(bmKgdb.exitPC) {
		return
	}
	bmClearMstatus(bmMstatusMIE) // no tick may enter the monitor again
	f := &bmKgdb.exitFrame
	f.x[1], f.x[2], f.x[10] = uint64(ra), uint64(sp), uint64(int64(code))
	f.mepc = bmKgdb.exitPC
	f.mstatus = bmMstatusMPP // a kernel context
	bmKgdbStop(f, 5)
}

// bmKgdbHas reports whether gdb has a breakpoint at addr.
//
//go:nosplit
func bmKgdbHas(addr uint64) bool {
	for i := range bmKgdb.bps {
		if b := &bmKgdb.bps[i]; b.size != 0 && b.addr == addr {
			return true
		}
	}
	return false
}

// bmKgdbPending reports whether a byte on the line asks for a stop: the
// interrupt byte or the start of a packet (kept for the packet reader).
//
//go:nosplit
//go:nowritebarrierrec
func bmKgdbPending() bool {
	for {
		if bmKgdb.peek >= 0 {
			return true
		}
		c, ok := bmUartGetcAt(bmKgdb.uart, bmKgdb.uartKind)
		if !ok {
			return false
		}
		if c == 3 || c == '$' {
			bmKgdb.peek = int32(c)
		}
	}
}

// bmKgdbStop holds the kernel stopped in context f and serves gdb until
// it resumes (or detaches).
//
//go:nowritebarrierrec
func bmKgdbStop(f *bmTrapFrame, sig byte) {
	bmKgdbRemoveAll()
	if bmKgdb.stepping {
		bmKgdb.stepping = false
		if bmKgdb.stepMPIE {
			bmSetMstatus(bmMstatusMPIE)
		}
	}
	bmKgdb.sig = sig
	if bmKgdb.resumed {
		bmKgdb.resumed = false
		bmKgdbStopReply()
		bmKgdbSend()
	}
	for {
		bmKgdbRead()
		bmKgdb.nout = 0
		if bmKgdbServe(f) {
			bmArmTimer() // the tick again (bmKgdbNap borrowed the comparator)
			return
		}
		bmKgdbSend()
		if bmKgdb.noAckNext {
			bmKgdb.noAck, bmKgdb.noAckNext = true, false
		}
	}
}

// bmKgdbGetc waits for the next byte on the line.
//
//go:nowritebarrierrec
func bmKgdbGetc() byte {
	if p := bmKgdb.peek; p >= 0 {
		bmKgdb.peek = -1
		return byte(p)
	}
	for {
		if c, ok := bmUartGetcAt(bmKgdb.uart, bmKgdb.uartKind); ok {
			bmKgdb.nap = 0
			return c
		}
		bmKgdbNap()
	}
}

// bmKgdbNap waits in wfi between two looks at an empty UART, so a
// stopped kernel does not keep a host core spinning while gdb's user
// thinks. With the line's receive interrupt the next byte ends the nap
// at once (its pending source is claimed and completed here, console
// input is kept) and the nap is 10 ms; without it the nap starts at
// 10 µs of mtime after a byte arrived (gdb's requests come in bursts)
// and doubles up to 1 ms while the line stays quiet. The timer
// comparator is borrowed for it; bmKgdbStop puts the tick back.
//
//go:nosplit
func bmKgdbNap() {
	lo, hi := bmBoard.timebase/100000+1, bmBoard.timebase/1000+1
	if bmKgdb.irq != 0 {
		lo, hi = bmBoard.timebase/100+1, bmBoard.timebase/100+1
	}
	bmKgdb.nap = min(max(bmKgdb.nap*2, lo), hi)
	bmSetMtimecmp(bmMtime() + bmKgdb.nap)
	bmWFI()
	if bmReadMip()&bmMipMEIP != 0 {
		bmExternalInterrupt()
	}
}

// bmKgdbPutc sends one byte.
//
//go:nowritebarrierrec
func bmKgdbPutc(c byte) { bmUartPutcAt(bmKgdb.uart, bmKgdb.uartKind, c) }

// bmKgdbRead reads the next packet into in[:nin], skipping anything
// between packets (acknowledgements, an interrupt byte while stopped). A
// packet with a bad checksum is refused ('-'); one longer than the buffer
// is cut short (and then fails to parse).
//
//go:nowritebarrierrec
func bmKgdbRead() {
	for {
		for bmKgdbGetc() != '$' {
		}
		n, sum := 0, byte(0)
		c := bmKgdbGetc()
		for ; c != '#'; c = bmKgdbGetc() {
			if c == '$' { // a new start: drop what came before
				n, sum = 0, 0
				continue
			}
			sum += c
			if n < len(bmKgdb.in) {
				bmKgdb.in[n] = c
				n++
			}
		}
		hi, lo := bmKgdbUnhex(bmKgdbGetc()), bmKgdbUnhex(bmKgdbGetc())
		bmKgdb.nin = n
		if bmKgdb.noAck && bmKgdbIs("qSupported") {
			bmKgdb.noAck = false // a new session (the last one ended without D)
		}
		if bmKgdb.noAck {
			bmKgdb.nin = n
			return
		}
		if hi < 0 || lo < 0 || byte(hi<<4|lo) != sum {
			bmKgdbPutc('-')
			continue
		}
		bmKgdbPutc('+')
		bmKgdb.nin = n
		return
	}
}

// bmKgdbSend frames out[:nout] as a packet and sends it.
//
//go:nowritebarrierrec
func bmKgdbSend() {
	bmKgdbPutc('$')
	sum := byte(0)
	for _, c := range bmKgdb.out[:bmKgdb.nout] {
		sum += c
		bmKgdbPutc(c)
	}
	bmKgdbPutc('#')
	bmKgdbPutc(bmHexDigit(sum >> 4))
	bmKgdbPutc(bmHexDigit(sum & 15))
}

// Reply building.

//go:nowritebarrierrec
func bmKgdbPut(s string) {
	for i := 0; i < len(s) && bmKgdb.nout < len(bmKgdb.out); i++ {
		bmKgdb.out[bmKgdb.nout] = s[i]
		bmKgdb.nout++
	}
}

//go:nowritebarrierrec
func bmKgdbPutByte(c byte) {
	if bmKgdb.nout < len(bmKgdb.out) {
		bmKgdb.out[bmKgdb.nout] = c
		bmKgdb.nout++
	}
}

// bmKgdbPutHex appends b as two hex digits.
//
//go:nowritebarrierrec
func bmKgdbPutHex(b byte) {
	bmKgdbPutByte(bmHexDigit(b >> 4))
	bmKgdbPutByte(bmHexDigit(b & 15))
}

// bmKgdbPutLE appends the low n bytes of v, little-endian, in hex.
//
//go:nowritebarrierrec
func bmKgdbPutLE(v uint64, n int) {
	for i := 0; i < n; i++ {
		bmKgdbPutHex(byte(v >> (8 * i)))
	}
}

//go:nosplit
func bmHexDigit(v byte) byte { return "0123456789abcdef"[v&15] }

//go:nosplit
func bmKgdbUnhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// Request parsing: in[pos:] is what is left of the packet.

// bmKgdbNum parses a hex number at *pos and moves past it; ok is false
// without a digit.
//
//go:nowritebarrierrec
func bmKgdbNum(pos *int) (v uint64, ok bool) {
	for *pos < bmKgdb.nin {
		d := bmKgdbUnhex(bmKgdb.in[*pos])
		if d < 0 {
			break
		}
		v, ok = v<<4|uint64(d), true
		*pos++
	}
	return v, ok
}

// bmKgdbSkip moves past c at *pos, reporting whether it was there.
//
//go:nowritebarrierrec
func bmKgdbSkip(pos *int, c byte) bool {
	if *pos < bmKgdb.nin && bmKgdb.in[*pos] == c {
		*pos++
		return true
	}
	return false
}

// bmKgdbIs reports whether the packet starts with prefix.
//
//go:nowritebarrierrec
func bmKgdbIs(prefix string) bool {
	if bmKgdb.nin < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if bmKgdb.in[i] != prefix[i] {
			return false
		}
	}
	return true
}

// bmKgdbServe answers the packet in in[:nin] into out and reports whether
// the kernel is to run again (then nothing is sent now).
//
//go:nowritebarrierrec
func bmKgdbServe(f *bmTrapFrame) bool {
	if bmKgdb.nin == 0 {
		return false
	}
	bmKgdb.served = true
	pos := 1
	switch bmKgdb.in[0] {
	case '?':
		bmKgdbStopReply()
	case 'g':
		for n := 0; n < bmKgdbRegs; n++ {
			v, size := bmKgdbReg(f, n)
			bmKgdbPutLE(v, size)
		}
	case 'G':
		for n := 0; n < bmKgdbRegs; n++ {
			_, size := bmKgdbReg(f, n)
			v, ok := bmKgdbLE(&pos, size)
			if !ok {
				bmKgdbPut("E01")
				return false
			}
			bmKgdbSetReg(f, n, v)
		}
		bmKgdbPut("OK")
	case 'p':
		n, ok := bmKgdbNum(&pos)
		if !ok || n >= bmKgdbRegs {
			bmKgdbPut("E01")
			break
		}
		v, size := bmKgdbReg(f, int(n))
		bmKgdbPutLE(v, size)
	case 'P':
		n, ok := bmKgdbNum(&pos)
		if !ok || n >= bmKgdbRegs || !bmKgdbSkip(&pos, '=') {
			bmKgdbPut("E01")
			break
		}
		_, size := bmKgdbReg(f, int(n))
		v, ok := bmKgdbLE(&pos, size)
		if !ok {
			bmKgdbPut("E01")
			break
		}
		bmKgdbSetReg(f, int(n), v)
		bmKgdbPut("OK")
	case 'm':
		bmKgdbReadMem(&pos)
	case 'M':
		bmKgdbWriteMem(&pos)
	case 'Z', 'z':
		bmKgdbBreakpointReq(&pos, bmKgdb.in[0] == 'Z')
	case 'c', 'C', 's', 'S':
		return bmKgdbResume(f, &pos)
	case 'H':
		bmKgdbPut("OK")
	case 'T':
		if bmKgdb.nin == 2 && bmKgdb.in[1] == bmKgdbThread[0] {
			bmKgdbPut("OK")
		} else {
			bmKgdbPut("E01")
		}
	case 'D':
		for i := range bmKgdb.bps {
			bmKgdb.bps[i].size = 0
		}
		bmKgdbPut("OK")
		bmKgdbSend()
		bmKgdb.resumed, bmKgdb.noAck = false, false
		return true
	case 'k':
		bmPrint("\ncopslab: kgdb: killed by gdb; powering off\n")
		bmExit(137)
	case 'v':
		if bmKgdbIs("vKill") {
			bmKgdbPut("OK")
			bmKgdbSend()
			bmPrint("\ncopslab: kgdb: killed by gdb; powering off\n")
			bmExit(137)
		}
		// vCont?, vMustReplyEmpty, …: empty (gdb then uses c, s and Hc)
	case 'q', 'Q':
		bmKgdbQuery(f)
	}
	return false
}

// bmKgdbStopReply appends the stop reply for the last stop.
//
//go:nowritebarrierrec
func bmKgdbStopReply() {
	bmKgdbPut("T")
	bmKgdbPutHex(bmKgdb.sig)
	bmKgdbPut("thread:" + bmKgdbThread + ";")
}

// bmKgdbQuery answers q and Q packets.
//
//go:nowritebarrierrec
func bmKgdbQuery(f *bmTrapFrame) {
	switch {
	case bmKgdbIs("qSupported"):
		bmKgdbPut("PacketSize=1000;qXfer:features:read+;QStartNoAckMode+")
	case bmKgdbIs("QStartNoAckMode"):
		bmKgdbPut("OK")
		bmKgdb.noAckNext = true // after this reply, which gdb still acknowledges
	case bmKgdbIs("qXfer:features:read:target.xml:"):
		pos := len("qXfer:features:read:target.xml:")
		off, ok1 := bmKgdbNum(&pos)
		ok2 := bmKgdbSkip(&pos, ',')
		n, ok3 := bmKgdbNum(&pos)
		if !ok1 || !ok2 || !ok3 || off > uint64(len(bmKgdb.xml)) {
			bmKgdbPut("E01")
			return
		}
		end := min(off+min(n, bmKgdbPacket-16), uint64(len(bmKgdb.xml)))
		if end == uint64(len(bmKgdb.xml)) {
			bmKgdbPut("l")
		} else {
			bmKgdbPut("m")
		}
		bmKgdbPut(bmKgdb.xml[off:end])
	case bmKgdbIs("qXfer:features:read:"):
		bmKgdbPut("E00")
	case bmKgdbIs("qfThreadInfo"):
		bmKgdbPut("m" + bmKgdbThread)
	case bmKgdbIs("qsThreadInfo"):
		bmKgdbPut("l")
	case bmKgdbIs("qC"):
		bmKgdbPut("QC" + bmKgdbThread)
	case bmKgdbIs("qAttached"):
		bmKgdbPut("1") // gdb detaches (not kills) when it quits
	case bmKgdbIs("qThreadExtraInfo"):
		bmKgdbPutText("hart ")
		bmKgdbPutHex('0' + byte(bmBootHart))
		if bmFromUser(f) {
			bmKgdbPutText(", user program")
		} else {
			bmKgdbPutText(", kernel")
		}
	case bmKgdbIs("Qqemu.PhyMemMode:"):
		bmKgdbPut("OK") // memory is physical here anyway
	}
}

// bmKgdbPutText appends s hex-encoded (qThreadExtraInfo).
//
//go:nowritebarrierrec
func bmKgdbPutText(s string) {
	for i := 0; i < len(s); i++ {
		bmKgdbPutHex(s[i])
	}
}

// The register file in 'g' order (kernel/kgdb's target description):
// x0..x31, pc, f0..f31 (8 bytes each), fflags, frm, fcsr (4 bytes each).
const bmKgdbRegs = 68

// bmKgdbReg returns register n of context f and its size in bytes.
//
//go:nosplit
func bmKgdbReg(f *bmTrapFrame, n int) (uint64, int) {
	switch {
	case n == 0:
		return 0, 8
	case n < 32:
		return f.x[n], 8
	case n == 32:
		return f.mepc, 8
	case n < 65:
		return f.f[n-33], 8
	case n == 65:
		return f.fcsr & 0x1f, 4
	case n == 66:
		return f.fcsr >> 5 & 7, 4
	}
	return f.fcsr & 0xff, 4
}

// bmKgdbSetReg writes register n of context f (x0 stays 0).
//
//go:nosplit
func bmKgdbSetReg(f *bmTrapFrame, n int, v uint64) {
	switch {
	case n == 0:
	case n < 32:
		f.x[n] = v
	case n == 32:
		f.mepc = v
	case n < 65:
		f.f[n-33] = v
	case n == 65:
		f.fcsr = f.fcsr&^0x1f | v&0x1f
	case n == 66:
		f.fcsr = f.fcsr&^0xe0 | (v&7)<<5
	default:
		f.fcsr = v & 0xff
	}
}

// bmKgdbLE parses size bytes of little-endian hex at *pos.
//
//go:nowritebarrierrec
func bmKgdbLE(pos *int, size int) (uint64, bool) {
	var v uint64
	for i := 0; i < size; i++ {
		if *pos+2 > bmKgdb.nin {
			return 0, false
		}
		hi, lo := bmKgdbUnhex(bmKgdb.in[*pos]), bmKgdbUnhex(bmKgdb.in[*pos+1])
		if hi < 0 || lo < 0 {
			return 0, false
		}
		v |= uint64(hi<<4|lo) << (8 * i)
		*pos += 2
	}
	return v, true
}

// bmKgdbInRAM reports whether [addr, addr+n) lies in RAM.
//
//go:nosplit
func bmKgdbInRAM(addr, n uint64) bool {
	return addr >= bmKgdb.ramLo && n <= bmKgdb.ramHi-addr && addr+n <= bmKgdb.ramHi
}

// bmKgdbInCLINT reports whether [addr, addr+n) is an aligned word of the
// CLINT (mtime, mtimecmp): device registers read only as whole words.
//
//go:nosplit
func bmKgdbInCLINT(addr, n uint64) bool {
	base := uint64(bmBoard.clint)
	return base != 0 && addr >= base && addr+n <= base+0x10000 && (n == 4 || n == 8) && addr%n == 0
}

// bmKgdbAddrLen parses "ADDR,LEN" at *pos.
//
//go:nowritebarrierrec
func bmKgdbAddrLen(pos *int) (addr, n uint64, ok bool) {
	addr, ok1 := bmKgdbNum(pos)
	ok2 := bmKgdbSkip(pos, ',')
	n, ok3 := bmKgdbNum(pos)
	return addr, n, ok1 && ok2 && ok3
}

// bmKgdbReadMem answers m ADDR,LEN.
//
//go:nowritebarrierrec
func bmKgdbReadMem(pos *int) {
	addr, n, ok := bmKgdbAddrLen(pos)
	n = min(n, (bmKgdbPacket-16)/2)
	switch {
	case !ok:
		bmKgdbPut("E01")
	case bmKgdbInRAM(addr, n):
		for i := uint64(0); i < n; i++ {
			bmKgdbPutHex(bmLoad8(uintptr(addr + i)))
		}
	case bmKgdbInCLINT(addr, n) && n == 8:
		bmKgdbPutLE(bmLoad64(uintptr(addr)), 8)
	case bmKgdbInCLINT(addr, n):
		bmKgdbPutLE(uint64(bmLoad32(uintptr(addr))), 4)
	default:
		bmKgdbPut("E14") // EFAULT: outside RAM
	}
}

// bmKgdbWriteMem answers M ADDR,LEN:HEX (RAM only).
//
//go:nowritebarrierrec
func bmKgdbWriteMem(pos *int) {
	addr, n, ok := bmKgdbAddrLen(pos)
	if !ok || !bmKgdbSkip(pos, ':') || uint64(bmKgdb.nin-*pos) != 2*n {
		bmKgdbPut("E01")
		return
	}
	if !bmKgdbInRAM(addr, n) {
		bmKgdbPut("E14")
		return
	}
	for i := uint64(0); i < n; i++ {
		v, _ := bmKgdbLE(pos, 1)
		bmStore8(uintptr(addr+i), uint8(v))
	}
	bmFenceI()
	bmKgdbPut("OK")
}

// bmKgdbBreakpointReq answers Z0/z0 ADDR,KIND (software breakpoints; other
// kinds are not offered: empty reply).
//
//go:nowritebarrierrec
func bmKgdbBreakpointReq(pos *int, set bool) {
	typ, ok := bmKgdbNum(pos)
	if !ok || typ != 0 || !bmKgdbSkip(pos, ',') {
		return
	}
	addr, size, ok := bmKgdbAddrLen(pos)
	if !ok || size != 2 && size != 4 || !bmKgdbInRAM(addr, size) {
		bmKgdbPut("E01")
		return
	}
	if size == 4 && bmLoad8(uintptr(addr))&3 != 3 {
		size = 2 // a compressed instruction: an ebreak must not cover the next one
	}
	free := -1
	for i := range bmKgdb.bps {
		b := &bmKgdb.bps[i]
		if b.size != 0 && b.addr == addr {
			if !set {
				b.size = 0
			}
			bmKgdbPut("OK")
			return
		}
		if b.size == 0 && free < 0 {
			free = i
		}
	}
	switch {
	case !set:
		bmKgdbPut("OK")
	case free < 0:
		bmKgdbPut("E0c") // ENOMEM: table full
	default:
		bmKgdb.bps[free] = bmKgdbBp{addr: addr, size: size}
		bmKgdbPut("OK")
	}
}

// bmKgdbResume handles c/C/s/S [;sig][ADDR]: puts the breakpoints (and a
// step's) into memory and reports true, or answers an error.
//
//go:nowritebarrierrec
func bmKgdbResume(f *bmTrapFrame, pos *int) bool {
	step := bmKgdb.in[0] == 's' || bmKgdb.in[0] == 'S'
	if bmKgdb.in[0] == 'C' || bmKgdb.in[0] == 'S' {
		bmKgdbNum(pos) // the signal: nothing to deliver to a kernel
		bmKgdbSkip(pos, ';')
	}
	if addr, ok := bmKgdbNum(pos); ok {
		f.mepc = addr
	}
	if step && !bmKgdbPlanStep(f) {
		bmKgdbPut("E01")
		return false
	}
	for i := range bmKgdb.bps {
		if b := &bmKgdb.bps[i]; b.size != 0 {
			bmKgdbInsert(b)
		}
	}
	if step {
		for i := range bmKgdb.steps {
			if b := &bmKgdb.steps[i]; b.size != 0 {
				bmKgdbInsert(b)
			}
		}
		bmKgdb.stepping = true
		bmKgdb.stepMPIE = bmReadMstatus()&bmMstatusMPIE != 0
		bmClearMstatus(bmMstatusMPIE)
	}
	bmFenceI()
	bmKgdb.resumed = true
	return true
}

// bmKgdbPlanStep works out where the instruction at f's pc can go next
// and records step breakpoints there; false for a user context or a pc
// outside RAM.
//
//go:nowritebarrierrec
func bmKgdbPlanStep(f *bmTrapFrame) bool {
	bmKgdb.steps = [2]bmKgdbBp{}
	pc := f.mepc
	if bmFromUser(f) || !bmKgdbInRAM(pc, 2) || bmKgdb.next == nil {
		return false
	}
	insn := uint32(bmLoad8(uintptr(pc))) | uint32(bmLoad8(uintptr(pc+1)))<<8
	if insn&3 == 3 {
		if !bmKgdbInRAM(pc, 4) {
			return false
		}
		insn |= uint32(bmLoad8(uintptr(pc+2)))<<16 | uint32(bmLoad8(uintptr(pc+3)))<<24
	}
	pcs, n := bmKgdb.next(pc, insn, &f.x)
	for i := 0; i < n; i++ {
		a := pcs[i]
		if !bmKgdbInRAM(a, 2) {
			continue // cannot be planted; the step then ends at a later stop
		}
		size := uint64(2)
		if bmLoad8(uintptr(a))&3 == 3 && bmKgdbInRAM(a, 4) {
			size = 4
		}
		bmKgdb.steps[i] = bmKgdbBp{addr: a, size: size}
	}
	return true
}

// bmKgdbInsert writes b's ebreak unless an ebreak of ours is there.
//
//go:nowritebarrierrec
func bmKgdbInsert(b *bmKgdbBp) {
	if b.in || bmKgdbPlanted(b.addr) || b.addr == bmKgdb.exitPC {
		return // (bmExit's breakpoint is emulated: bmKgdbAtExit)
	}
	for i := uint64(0); i < b.size; i++ {
		b.orig[i] = bmLoad8(uintptr(b.addr + i))
	}
	insn := uint32(0x00100073) // ebreak
	if b.size == 2 {
		insn = 0x9002 // c.ebreak
	}
	for i := uint64(0); i < b.size; i++ {
		bmStore8(uintptr(b.addr+i), uint8(insn>>(8*i)))
	}
	b.in = true
}

// bmKgdbPlanted reports whether a breakpoint in memory covers addr.
//
//go:nowritebarrierrec
func bmKgdbPlanted(addr uint64) bool {
	for i := range bmKgdb.bps {
		if b := &bmKgdb.bps[i]; b.in && b.addr == addr {
			return true
		}
	}
	for i := range bmKgdb.steps {
		if b := &bmKgdb.steps[i]; b.in && b.addr == addr {
			return true
		}
	}
	return false
}

// bmKgdbRemoveAll puts every original instruction back, in the reverse
// order of insertion groups (steps, then gdb's).
//
//go:nowritebarrierrec
func bmKgdbRemoveAll() {
	for i := range bmKgdb.steps {
		bmKgdbRemove(&bmKgdb.steps[i])
	}
	for i := range bmKgdb.bps {
		bmKgdbRemove(&bmKgdb.bps[i])
	}
	bmFenceI()
}

//go:nowritebarrierrec
func bmKgdbRemove(b *bmKgdbBp) {
	if !b.in {
		return
	}
	for i := uint64(0); i < b.size; i++ {
		bmStore8(uintptr(b.addr+i), b.orig[i])
	}
	b.in = false
}
