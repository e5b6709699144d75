// Package cloc keeps Fyne quiet under the C locale with a codeset
// (LANG=C.UTF-8, Debian's default).
//
// Fyne looks up the user's locale while its packages initialise: it takes
// the first non-empty of LC_ALL, LC_MESSAGES and LANG, treats exactly "C"
// and "POSIX" as "no locale", but turns "C.UTF-8" into the language tag
// "C", which does not parse, and logs three "Error parsing user locale C"
// lines from every copslab command, headless ones included.
//
// This package's init runs before Fyne's: packages are initialised in
// import-path order among those whose imports are ready, and
// "copslab/…" sorts before "fyne.io/…" (it imports only the standard
// library). It rewrites such a value to plain "C" (same meaning, no
// codeset) for the lookup; Restore, called from package main's init
// after every imported package is initialised, puts the original back so
// programs copslab starts (QEMU, gdb) see the user's environment.
package cloc

import (
	"os"
	"strings"
)

var (
	saved    string // variable rewritten, or ""
	original string // its original value
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if isCWithCodeset(v) {
			saved, original = name, v
			os.Setenv(name, "C")
		}
		return // the first non-empty one decides, as in Fyne's lookup
	}
}

// isCWithCodeset reports whether v is the C or POSIX locale with a codeset
// or modifier ("C.UTF-8", "C.utf8", "POSIX@euro").
func isCWithCodeset(v string) bool {
	lang, rest, ok := strings.Cut(strings.NewReplacer("@", ".").Replace(v), ".")
	return ok && rest != "" && (lang == "C" || lang == "POSIX")
}

// Restore puts the rewritten variable back to the user's value.
func Restore() {
	if saved != "" {
		os.Setenv(saved, original)
		saved = ""
	}
}
