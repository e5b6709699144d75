package build

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Boards maps each board the kernel can be built for (Options.Board) to
// the build tag that selects its files: kernel/kmain/board_*.go imports
// the board package (which supplies the runtime/goos hooks), and
// kernel/rt/boardcfg_*.go holds the runtime layer's defaults (boot hart,
// console UART kind, power-off). The board profiles in boards/ name one
// of these keys as kernel.board.
var Boards = map[string]string{
	"virt":     "",               // QEMU virt: kernel/board/qemuvirt
	"sifive_u": "board_sifive_u", // QEMU sifive_u: TamaGo's board/qemu/sifive_u
	"rocket":   "board_rocket",   // Rocket + N extension on the AXU15EG: kernel/board/axu15eg
}

// DefaultBoard is built when Options.Board is empty.
const DefaultBoard = "virt"

// GoosFile is the kernel's runtime/goos package, added to GOROOT by the
// overlay (TamaGo's packages import runtime/goos, which the stock GOROOT
// lacks).
const GoosFile = "kernel/goos/goos.go"

// boardTags returns the -tags value for board.
func boardTags(board string) (string, error) {
	if board == "" {
		board = DefaultBoard
	}
	tag, ok := Boards[board]
	if !ok {
		return "", fmt.Errorf("kernel build: unknown board %q (known: %s)", board, strings.Join(BoardNames(), ", "))
	}
	return strings.Join(slices.DeleteFunc([]string{Tag, tag}, func(s string) bool { return s == "" }), ","), nil
}

// BoardNames returns the keys of Boards, sorted.
func BoardNames() []string {
	names := make([]string, 0, len(Boards))
	for n := range Boards {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Tags returns the -tags value that builds the kernel for board (empty:
// DefaultBoard).
func Tags(board string) (string, error) { return boardTags(board) }

// Overlay writes the overlay (edited runtime files, kernel/rt, runtime/goos;
// no embedded programs, no vDSO image) into workDir and returns its path, for go
// commands other than the build — go vet and go list of kernel/kmain
// need it because TamaGo's packages import runtime/goos. goCmd empty:
// "go" from PATH.
func Overlay(workDir, goCmd string) (string, error) {
	if goCmd == "" {
		goCmd = "go"
	}
	root, err := moduleRoot(goCmd)
	if err != nil {
		return "", err
	}
	return writeOverlay(Options{WorkDir: workDir, Go: goCmd, Root: root}, "", "")
}
