package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestTamaGoInImportGraph lists the kernel's dependencies for each board
// with the build's overlay: TamaGo's packages must be there (its CLINT
// driver is the kernel's clock on every board; on sifive_u its board,
// SoC, CPU and UART packages too), and runtime/goos must come from the
// overlay.
func TestTamaGoInImportGraph(t *testing.T) {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	overlay, err := Overlay(t.TempDir(), goCmd)
	if err != nil {
		t.Fatal(err)
	}
	const tg = "github.com/usbarmory/tamago/"
	want := map[string][]string{
		"virt": {"runtime/goos", tg + "riscv64", tg + "soc/sifive/clint", "copslab/kernel/soc/qemuvirt", "copslab/kernel/board/qemuvirt"},
		"sifive_u": {"runtime/goos", tg + "riscv64", tg + "soc/sifive/clint", tg + "soc/sifive/uart",
			tg + "soc/sifive/fu540", tg + "board/qemu/sifive_u"},
	}
	for board, pkgs := range want {
		tags, err := Tags(board)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(goCmd, "list", "-overlay", overlay, "-tags", tags, "-deps", MainPkg)
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0", "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps (%s): %v\n%s", board, err, out)
		}
		deps := strings.Fields(string(out))
		for _, p := range pkgs {
			if !slices.Contains(deps, p) {
				t.Errorf("%s: %s not in the kernel's import graph", board, p)
			}
		}
		if board == "virt" && slices.Contains(deps, tg+"board/qemu/sifive_u") {
			t.Errorf("virt kernel imports the sifive_u board")
		}
	}
}

func TestUnknownBoard(t *testing.T) {
	err := Build(Options{Out: filepath.Join(t.TempDir(), "k.elf"), Board: "pdp11"})
	if err == nil || !strings.Contains(err.Error(), `unknown board "pdp11" (known: rocket, sifive_u, virt)`) {
		t.Errorf("Build with an unknown board: %v", err)
	}
}
