//go:build copslab

package runtime

import "internal/runtime/atomic"

// ns16550a registers (byte offsets; TI PC16550D datasheet, Table 2).
const (
	bmUartRBR = 0 // receive buffer (read)
	bmUartTHR = 0 // transmit holding (write)
	bmUartIER = 1 // interrupt enable
	bmUartMCR = 4 // modem control
	bmUartLSR = 5 // line status

	bmIerRxAvail = 1 << 0 // received data available interrupt
	bmMcrOut2    = 1 << 3 // gates the interrupt line on a real 16550
	bmLsrDR      = 1 << 0 // data ready
	bmLsrTHRE    = 1 << 5 // transmit holding register empty

	// SiFive UART (FU540-C000 manual, chapter 13), 32-bit registers.
	bmSifiveTxdata  = 0x00
	bmSifiveTxFull  = 1 << 31
	bmSifiveRxdata  = 0x04
	bmSifiveRxctrl  = 0x0c
	bmSifiveIE      = 0x10
	bmSifiveRxEmpty = 1 << 31
	bmSifiveRxen    = 1 << 0
	bmSifiveIERxwm  = 1 << 1
)

// bmRx is the console receive ring: the interrupt handler is the only
// producer (tail), readers of fd 0 the only consumer (head).
var bmRx struct {
	buf     [4096]byte
	head    atomic.Uint32
	tail    atomic.Uint32
	edge    atomic.Bool   // new data since the last epoll report
	bytes   atomic.Uint64 // received in total
	dropped atomic.Uint64 // lost because the ring was full
	at      atomic.Uint64 // mtime when the last byte arrived
}

// bmUARTEarlyPutc transmits one byte before the board's Printk works
// (goos.go), polling the transmitter.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmUARTEarlyPutc(c byte) { bmUartPutcAt(bmBoard.uart, bmBoard.uartKind, c) }

// bmUartPutcAt transmits one byte on the UART of that kind at base,
// polling the transmitter (the console, or the gdb stub's line).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmUartPutcAt(base uintptr, kind uint32, c byte) {
	if kind == bmUartSiFive {
		for bmLoad32(base+bmSifiveTxdata)&bmSifiveTxFull != 0 {
		}
		bmStore32(base+bmSifiveTxdata, uint32(c))
		return
	}
	for bmLoad8(base+bmUartLSR)&bmLsrTHRE == 0 {
	}
	bmStore8(base+bmUartTHR, c)
}

// bmUARTEnableRx turns on the receive interrupt. The FIFO stays off:
// enabling it resets the receiver and would drop a byte typed before
// boot; without it QEMU holds further input back until RBR is read.
func bmUARTEnableRx() {
	if bmBoard.uartKind == bmUartSiFive {
		bmStore32(bmBoard.uart+bmSifiveRxctrl, bmSifiveRxen) // watermark 0: interrupt on 1 byte
		bmStore32(bmBoard.uart+bmSifiveIE, bmSifiveIERxwm)
		return
	}
	bmStore8(bmBoard.uart+bmUartMCR, bmLoad8(bmBoard.uart+bmUartMCR)|bmMcrOut2)
	bmStore8(bmBoard.uart+bmUartIER, bmIerRxAvail)
}

// bmUARTDrain moves every received byte into the ring (trap context).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmUARTDrain() {
	for {
		c, ok := bmUARTGetc()
		if !ok {
			return
		}
		t := bmRx.tail.Load()
		if t-bmRx.head.Load() >= uint32(len(bmRx.buf)) {
			bmRx.dropped.Add(1)
			continue
		}
		bmRx.buf[t%uint32(len(bmRx.buf))] = c
		bmRx.tail.Store(t + 1)
		bmRx.bytes.Add(1)
		bmRx.edge.Store(true)
		bmRx.at.Store(bmMtime())
	}
}

// bmUARTGetc reads one received byte of the console, if any.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmUARTGetc() (byte, bool) { return bmUartGetcAt(bmBoard.uart, bmBoard.uartKind) }

// bmUartGetcAt reads one received byte of the UART of that kind at base.
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmUartGetcAt(base uintptr, kind uint32) (byte, bool) {
	if kind == bmUartSiFive {
		v := bmLoad32(base + bmSifiveRxdata)
		return byte(v), v&bmSifiveRxEmpty == 0
	}
	if bmLoad8(base+bmUartLSR)&bmLsrDR == 0 {
		return 0, false
	}
	return bmLoad8(base + bmUartRBR), true
}

// bmRxRead copies buffered input into p and returns the count (0: empty).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmRxRead(p []byte) int {
	n := 0
	h := bmRx.head.Load()
	t := bmRx.tail.Load()
	for n < len(p) && h != t {
		p[n] = bmRx.buf[h%uint32(len(bmRx.buf))]
		n++
		h++
	}
	bmRx.head.Store(h)
	return n
}
