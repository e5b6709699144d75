// Package fdt reads a flattened device tree (FDT, "DTB"): the binary
// description of the machine that firmware or QEMU hands to the kernel
// (on RISC-V, a pointer in register a1 at boot).
//
// Format (Devicetree Specification v0.4, chapter 5): a 40-byte big-endian
// header, a memory reservation block of (address, size) pairs ending with
// (0, 0), a structure block of 32-bit tokens (BEGIN_NODE name, PROP
// len nameoff value, NOP, END_NODE, END; names and values padded to 4
// bytes) and a strings block holding property names.
//
// Parse copies the blob and builds the whole tree at once; it checks every
// offset and length against its block and returns an error, never panics,
// whatever the bytes (FuzzParse checks this). Lookups are methods on Tree
// and Node. Interpretation stays small and literal: Reg honours the
// parent's #address-cells/#size-cells (defaults 2 and 1, spec §2.3.5), and
// Memory collects the reg of every node with device_type "memory".
// Interrupt routing through interrupt-map is not resolved: Interrupts
// returns the node's own interrupt specifier cells.
package fdt
