// Command mkkernel builds the bare-metal kernel ELF (see copslab/kernel/build).
//
//	go run ./kernel/cmd/mkkernel -o out/kernel.elf [-board virt|sifive_u|PROFILE.yaml] [-progs "dir1 dir2"] [-debug] [-v]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"copslab/boards"
	"copslab/kernel/build"
)

func main() {
	out := flag.String("o", "out/kernel.elf", "output ELF file")
	progs := flag.String("progs", "", "space-separated Go main packages (directories or .go files) to embed as user programs; -append \"run NAME\" runs one")
	board := flag.String("board", build.DefaultBoard, "board to build for: "+strings.Join(build.BoardNames(), ", ")+", or a board profile (boards/*.yaml) naming one as kernel.board")
	verbose := flag.Bool("v", false, "print the go build command")
	debug := flag.Bool("debug", false, "build without optimisation and inlining (-gcflags '"+build.DebugGCFlags+"'), for gdb")
	flag.Parse()
	if strings.HasSuffix(*board, ".yaml") {
		p, err := boards.Load(*board)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkkernel:", err)
			os.Exit(1)
		}
		*board = p.Board
	}
	opts := build.Options{Out: *out, Board: *board, Progs: strings.Fields(*progs)}
	if *debug {
		opts.GCFlags = build.DebugGCFlags
	}
	if *verbose {
		opts.Log = os.Stderr
	}
	if err := build.Build(opts); err != nil {
		fmt.Fprintln(os.Stderr, "mkkernel:", err)
		os.Exit(1)
	}
}
