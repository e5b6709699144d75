// Package elf is the front half of the kernel's program loader: it checks
// that a file is a static riscv64 Linux executable and describes what must
// be mapped, without touching memory.
//
// Parse works on the file's bytes and returns an Image: the entry point,
// the PT_LOAD segments (virtual address, sizes in file and memory, file
// offset, R/W/X permission) in address order, and where the program
// headers are in the loaded image — the values of the auxiliary vector
// entries AT_PHDR, AT_PHENT, AT_PHNUM and AT_ENTRY. The back half (in the
// kernel) allocates frames, copies [FileOff, FileOff+Filesz) to Vaddr,
// zeroes up to Memsz (.bss) and maps the pages with Perm.
//
// Reference: the System V gABI "ELF-64 Object File Format" (header and
// program header fields), the RISC-V ELF psABI (EM_RISCV = 243, e_flags
// float ABI), and Linux fs/binfmt_elf.c for what a loader must refuse.
//
// Every check returns an error naming the field; Parse never panics on any
// input (FuzzParse). Dynamic executables (PT_INTERP or PT_DYNAMIC) are
// refused with ErrDynamic: the kernel runs static Go programs only.
package elf
