//go:build copslab

package runtime

// PLIC register layout (RISC-V PLIC Specification v1.0.0, §3):
// source priorities at base + 4*irq, enable bits per context at
// base + 0x2000 + 0x80*ctx, threshold and claim/complete per context at
// base + 0x200000 + 0x1000*ctx (+4 for claim/complete).
const (
	bmPlicEnable    = 0x2000
	bmPlicEnableCtx = 0x80
	bmPlicContext   = 0x200000
	bmPlicCtxStride = 0x1000
	bmPlicClaim     = 4
)

// bmPLICEnable routes source irq to context ctx with priority 1.
func bmPLICEnable(irq, ctx uint32) {
	base := bmBoard.plic
	bmStore32(base+uintptr(4*irq), 1)
	en := base + bmPlicEnable + uintptr(ctx)*bmPlicEnableCtx + uintptr(irq/32)*4
	bmStore32(en, bmLoad32(en)|1<<(irq%32))
	bmStore32(base+bmPlicContext+uintptr(ctx)*bmPlicCtxStride, 0) // threshold
}

// bmExternalInterrupt claims, serves and completes pending sources
// (trap context).
//
// nosplit: reachable from the trap handler, whose stack is not a Go stack.
//
//go:nosplit
func bmExternalInterrupt() {
	if bmBoard.plic == 0 {
		return
	}
	claim := bmBoard.plic + bmPlicContext + uintptr(bmBoard.plicCtx)*bmPlicCtxStride + bmPlicClaim
	for {
		irq := bmLoad32(claim)
		if irq == 0 {
			return
		}
		if irq == bmBoard.uartIRQ {
			bmUARTDrain()
		}
		bmStore32(claim, irq)
	}
}
