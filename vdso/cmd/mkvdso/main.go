// Command mkvdso builds the vDSO image alone (kernel/build does the
// same with every kernel), for a look with readelf or objdump:
//
//	go run ./vdso/cmd/mkvdso -o out/vdso.so
//	readelf -aW out/vdso.so
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"copslab/vdso/image"
)

func main() {
	out := flag.String("o", "out/vdso.so", "output ELF file")
	flag.Parse()
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" || strings.TrimSpace(string(mod)) == os.DevNull {
		fmt.Fprintln(os.Stderr, "mkvdso: run inside the copslab module")
		os.Exit(1)
	}
	root := filepath.Dir(strings.TrimSpace(string(mod)))
	work := filepath.Join(filepath.Dir(*out), "_vdso.build")
	im, err := image.WriteFile(image.Options{Root: root, WorkDir: work}, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkvdso:", err)
		os.Exit(1)
	}
	fmt.Printf("mkvdso: %s: %d bytes, %d exports, data page at %#x; inlined (not exported): %v\n",
		*out, len(im.ELF), len(im.Exports), im.DataOffset, im.Inlined)
}
