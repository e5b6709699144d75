package live

import (
	"bytes"
	"encoding/hex"
	"fmt"
)

// MismatchError says the running kernel is not the build of the ELF the
// workbench was given: symbols and the ring address would be wrong.
type MismatchError struct {
	ELF, ELFID string // path and build id of the ELF
	RunningID  string // build id found in guest memory, or a description
	Addr       uint64 // where the note was read
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("kernel ELF %s has build id %s, but the running kernel has %s (read at %#x): "+
		"give the ELF the running kernel was built from (or rebuild and restart QEMU)", e.ELF, e.ELFID, e.RunningID, e.Addr)
}

// CheckBuildID compares the build id note of the ELF with the bytes at the
// same address in guest memory.
func CheckBuildID(m Mem, im *Image) error {
	got, err := m.ReadMemory(im.BuildIDNote, len(im.NoteBytes))
	if err != nil {
		return fmt.Errorf("reading the running kernel's build id at %#x: %w", im.BuildIDNote, err)
	}
	if bytes.Equal(got, im.NoteBytes) {
		return nil
	}
	running := "no build id note there (bytes " + hex.EncodeToString(got[:min(len(got), 16)]) + "…)"
	if id, err := parseBuildIDNote(got); err == nil {
		running = hex.EncodeToString(id)
	}
	return &MismatchError{ELF: im.Path, ELFID: im.BuildIDString(), RunningID: running, Addr: im.BuildIDNote}
}
