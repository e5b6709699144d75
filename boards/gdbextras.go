package boards

import (
	"bytes"
	"debug/elf"
	"os"

	"copslab/kernel/build"
)

// gdbExtras returns the gdb options that make a session on kernel show
// what a Go kernel needs beyond its symbols:
//
//   - the Go runtime's gdb helpers (`info goroutines`, goroutine N bt,
//     Go-aware printing). The image names them in its .debug_gdb_scripts
//     section and gdb would load them, but its auto-load safe path
//     declines files under GOROOT; -iex allows exactly that file before
//     the image is read.
//   - the source-path script kernel/build writes beside the image
//     (build.GDBScriptFor), which shows kernel/rt and the edited runtime
//     files for the names the overlay gave them in the DWARF.
//
// Either is left out when the image does not provide it.
func gdbExtras(kernel string) (before, after []string) {
	if py := goGDBScript(kernel); py != "" {
		before = append(before, "-iex", "add-auto-load-safe-path "+py)
	}
	if s := build.GDBScriptFor(kernel); fileExists(s) {
		after = append(after, "-x", s)
	}
	return before, after
}

// goGDBScript returns the script path recorded in kernel's
// .debug_gdb_scripts section (a type byte, the path, NUL), or "".
func goGDBScript(kernel string) string {
	f, err := elf.Open(kernel)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".debug_gdb_scripts")
	if s == nil {
		return ""
	}
	b, err := s.Data()
	if err != nil || len(b) < 2 || b[0] != 1 {
		return ""
	}
	path, _, _ := bytes.Cut(b[1:], []byte{0})
	if !fileExists(string(path)) {
		return ""
	}
	return string(path)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
