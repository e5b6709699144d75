package uintr

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"copslab/kernel/uabi"
	"copslab/vdso/image"
)

// hotPath lists the handler's code compiled into the vDSO image beside
// the scheduler's hot path (sched/vdso_rules_test.go); the image builder
// (vdso/image) reads this list and checks every instruction against the
// vDSO rules: nosplit, no reference outside the two lists, no g/gp/tp.
var hotPath = []string{
	"(*Receiver).Next", "(*Receiver).drainOne", "(*Receiver).Handle",
	"(*Receiver).Unlock", "(*Receiver).Result", "HandlerTag", "HandlerEntry",
}

// TestVDSORules builds the vDSO image (the real builder and checker) and
// finds every function of hotPath in it, exported or inlined.
func TestVDSORules(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Skip("not in the module tree:", err)
	}
	im, err := image.Build(image.Options{Root: root, WorkDir: t.TempDir()})
	if err != nil {
		t.Fatalf("vDSO image with the handler: %v", err)
	}
	inlined := map[string]bool{}
	for _, s := range im.Inlined {
		inlined[s] = true
	}
	for _, n := range hotPath {
		sym := image.UintrPkg + "." + n
		if _, ok := im.Exports[sym]; !ok && !inlined[sym] {
			t.Errorf("%s neither exported nor inlined in the vDSO image", sym)
		}
	}
	// The handler's C entry ends in the uiret system call: li a7, NR; ecall.
	off, ok := im.Exports[image.HandlerEntry.Name]
	if !ok {
		t.Fatalf("%s not exported", image.HandlerEntry.Name)
	}
	liA7 := uint32(uabi.NR_COPS_UIRET)<<20 | 17<<7 | 0x13
	found := false
	for i := off; i+8 <= off+256 && i+8 <= uint64(len(im.ELF)); i += 4 {
		if binary.LittleEndian.Uint32(im.ELF[i:]) == liA7 && binary.LittleEndian.Uint32(im.ELF[i+4:]) == 0x73 {
			found = true
			break
		}
	}
	if !found {
		t.Errorf("%s at %#x: no li a7, %d; ecall", image.HandlerEntry.Name, off, uabi.NR_COPS_UIRET)
	}
	t.Logf("image: %d bytes, %d exports, handler entry at %#x", len(im.ELF), len(im.Exports), off)
}
