//go:build copslab

package main

import "fmt"

// initMode is `-append init` (or `sh`, or no arguments when the image
// embeds init): start the embedded init as the first process; it runs sh on the
// console. The kernel powers off with init's status once it and every
// process it left behind have ended.
func initMode(m *machine) int {
	if _, ok := program("init"); !ok {
		fmt.Println("copslab: init: no init program in this image (make kernel PROGS=\"kernel/user/init kernel/user/sh ...\")")
		return 1
	}
	status, ok := runOnce(m, []string{"init"}, 0, false)
	if !ok {
		return 1
	}
	return status
}
