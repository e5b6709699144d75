//go:build copslab

package main

import (
	"encoding/binary"
	"errors"
	"fmt"

	"copslab/kernel/fdt"
	"copslab/kernel/kalloc"
)

// machine is what the kernel learned from the device tree.
type machine struct {
	tree     *fdt.Tree
	bootargs string
	ramBase  uint64
	ramSize  uint64
	harts    int

	uart, clint, plic, test uint64
	rtc                     uint64 // goldfish RTC, 0 if none
	uartIRQ, plicCtx        uint32
	timebase                uint64

	frames    *kalloc.Allocator // physical frames outside the Go heap
	procPages int               // per-process page limit (procmem=), 0: half the pool (memlimits.go)
}

// discover parses the FDT QEMU passed in a1 (after the Go heap exists;
// before that the runtime layer only used its address as the top of RAM).
func discover() (*machine, error) {
	addr := rtFDT()
	if addr == 0 {
		return nil, errors.New("no FDT (boot with -kernel so QEMU passes one in a1)")
	}
	size, err := fdt.TotalSize(rtPhysSlice(addr, 40))
	if err != nil {
		return nil, err
	}
	tree, err := fdt.Parse(rtPhysSlice(addr, uintptr(size)))
	if err != nil {
		return nil, err
	}
	m := &machine{tree: tree, bootargs: tree.Bootargs()}
	mem, err := tree.Memory()
	if err != nil || len(mem) == 0 {
		return nil, fmt.Errorf("memory node: %v", err)
	}
	m.ramBase, m.ramSize = mem[0].Base, mem[0].Size
	if cpus := tree.Find("/cpus"); cpus != nil {
		m.timebase = uint64(u32(cpus, "timebase-frequency"))
		for _, c := range cpus.Children {
			if _, ok := c.Prop("reg"); ok && len(c.Name) >= 3 && c.Name[:3] == "cpu" {
				m.harts++
			}
		}
	}
	m.uart, m.uartIRQ = device(tree, "ns16550a", "sifive,uart0")
	m.clint, _ = device(tree, "sifive,clint0", "riscv,clint0")
	m.test, _ = device(tree, "sifive,test0", "sifive,test1")
	m.rtc, _ = device(tree, "google,goldfish-rtc")
	var plicNode *fdt.Node
	m.plic, _ = device(tree, "sifive,plic-1.0.0", "riscv,plic0")
	if nodes := append(tree.Compatible("sifive,plic-1.0.0"), tree.Compatible("riscv,plic0")...); len(nodes) > 0 {
		plicNode = nodes[0]
	}
	m.plicCtx = machineContext(tree, plicNode, bootHart)
	if m.uart == 0 || m.clint == 0 {
		return nil, fmt.Errorf("no UART (%#x) or CLINT (%#x) in the device tree", m.uart, m.clint)
	}
	return m, nil
}

// device returns the first reg base and interrupt of a node compatible
// with one of cs.
func device(t *fdt.Tree, cs ...string) (base uint64, irq uint32) {
	for _, c := range cs {
		for _, n := range t.Compatible(c) {
			regs, err := n.Reg()
			if err != nil || len(regs) == 0 {
				continue
			}
			if irqs := n.Interrupts(); len(irqs) > 0 {
				irq = irqs[0]
			}
			return regs[0].Base, irq
		}
	}
	return 0, 0
}

// machineContext finds the boot hart's machine-mode context in the
// PLIC's interrupts-extended list of (phandle, cause) pairs: the pair
// whose phandle is the hart's interrupt controller (/cpus/cpu@N) and
// whose cause is 11, the machine external interrupt. Without that
// controller in the tree it falls back to the first cause-11 pair.
func machineContext(t *fdt.Tree, plic *fdt.Node, hart int) uint32 {
	if plic == nil {
		return 0
	}
	var intc uint32
	if cpus := t.Find("/cpus"); cpus != nil {
		for _, c := range cpus.Children {
			if r, ok := c.U32("reg"); ok && int(r) == hart {
				for _, ic := range c.Children {
					if p, ok := ic.U32("phandle"); ok {
						intc = p
					}
				}
			}
		}
	}
	b, _ := plic.Prop("interrupts-extended")
	for i := 0; i+8 <= len(b); i += 8 {
		ph, cause := binary.BigEndian.Uint32(b[i:]), binary.BigEndian.Uint32(b[i+4:])
		if cause == 11 && (intc == 0 || ph == intc) {
			return uint32(i / 8)
		}
	}
	return 0
}

func u32(n *fdt.Node, name string) uint32 {
	v, _ := n.U32(name)
	return v
}

// start hands the devices to the runtime layer, turns on interrupts and
// sets up the frame allocator.
func (m *machine) start() {
	rtConfigure(uintptr(m.uart), uintptr(m.clint), uintptr(m.plic), uintptr(m.test),
		m.plicCtx, m.uartIRQ, m.timebase)
	rtHwinit1(&ticks, tickHz, preemptTicks)
	m.setWallClock()
	_, bump, limit, _, _ := rtMem()
	pool := framePoolSize(uint64(limit - bump))
	if base := rtReservePhys(uintptr(pool)); base != 0 {
		m.frames, _ = kalloc.New(uint64(base), pool)
	}
	m.setupVDSO()
	m.setupCOPS()
}
