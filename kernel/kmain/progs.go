//go:build copslab

package main

// embeddedProgs maps program names to ELF images. kernel/build adds a
// generated file that fills it when the kernel is built with -progs.
var embeddedProgs = map[string]string{}
