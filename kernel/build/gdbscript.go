package build

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The kernel's DWARF names the files go build compiled under the names
// the overlay gave them: kernel/rt/timer.go is
// $GOROOT/src/runtime/copslab_timer.go, which does not exist, and an
// edited runtime file (proc.go) names the unedited upstream copy, whose
// lines no longer match. gdb then prints "No such file or directory" for
// every frame of the runtime layer. GDBScript writes, beside the kernel
// image, a gdb script with one `set substitute-path` rule per overlaid
// file (gdb applies a rule whose FROM is a whole file name to that file),
// read from the overlay that was compiled, so it cannot drift from it.
// `make debug` prints a gdb command that loads it with -x. The script
// also defines `userprog NAME`, which adds the symbols of an embedded
// user program from the ELF file the build keeps in its work directory.

// GDBScriptFor returns the path of the script written for kernel image out.
func GDBScriptFor(out string) string { return out + ".gdb" }

// writeGDBScript writes GDBScriptFor(out) from the overlay file.
func writeGDBScript(overlay, out string) error {
	b, err := os.ReadFile(overlay)
	if err != nil {
		return fmt.Errorf("kernel build: gdb script: %w", err)
	}
	var o struct{ Replace map[string]string }
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("kernel build: gdb script: %s: %w", overlay, err)
	}
	from := make([]string, 0, len(o.Replace))
	for f := range o.Replace {
		from = append(from, f)
	}
	sort.Strings(from)
	var s strings.Builder
	s.WriteString("# Written by kernel/build with the kernel image: shows the files the\n" +
		"# runtime overlay compiled (kernel/rt, edited runtime copies) for the\n" +
		"# names the kernel's DWARF gives them. Load with: gdb -x THIS_FILE\n")
	for _, f := range from {
		if strings.ContainsAny(f+o.Replace[f], " \t\n\"") {
			return fmt.Errorf("kernel build: gdb script: path with a space or quote: %q", f)
		}
		fmt.Fprintf(&s, "set substitute-path %s %s\n", f, o.Replace[f])
	}
	if progs, _ := filepath.Glob(filepath.Join(filepath.Dir(overlay), "progs", "*")); len(progs) > 0 {
		// User programs: their ELF files stay in the work directory;
		// `userprog NAME` adds one's symbols (they are linked at their
		// own addresses, below the kernel's, so nothing clashes).
		dir := filepath.Dir(progs[0])
		fmt.Fprintf(&s, "define userprog\n  add-symbol-file %s/$arg0\nend\n", dir)
		fmt.Fprintf(&s, "document userprog\nuserprog NAME: load the symbols of the embedded user program NAME (")
		for i, p := range progs {
			if i > 0 {
				s.WriteString(", ")
			}
			s.WriteString(filepath.Base(p))
		}
		s.WriteString("),\nthen break on its FILE:LINE and continue; the program runs in user mode.\nend\n")
	}
	return writeIfChanged(GDBScriptFor(out), []byte(s.String()))
}
