package main

// entry is the ELF entry point (-E main.entry); defined in prog_riscv64.s.
func entry()

// tick increments counter once; defined in prog_riscv64.s.
func tick()

// counter is incremented by every call of tick. Tests read it by symbol.
var counter uint64

// scratch is memory the tests may overwrite freely.
var scratch [64]uint64

// keep references the symbols so the linker does not discard them.
var keep = []any{entry, tick, &counter, &scratch}
