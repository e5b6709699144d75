package build

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Memory placement of the image (see kernel/README.md for the whole map).
const (
	// StubAddr is where the boot segment goes: the start of RAM on QEMU
	// virt, the lowest loaded address, where QEMU starts every hart.
	StubAddr = 0x80000000
	// ImageBase is the address of Go's first segment (ELF header and
	// program headers); text follows one page later, at TextAddr.
	ImageBase = 0x80010000
	TextAddr  = ImageBase + 0x1000
	// Entry is the boot symbol defined in kernel/rt/entry_riscv64.s.
	Entry = "_rt0_riscv64_copslab"
	// Tag is the build tag that selects the kernel's own files.
	Tag = "copslab"
	// MainPkg is the kernel's main package.
	MainPkg = "copslab/kernel/kmain"
)

// Options controls one kernel build.
type Options struct {
	// Out is the ELF file to write (required).
	Out string
	// Board is the board to build for, a key of Boards; empty: DefaultBoard.
	Board string
	// Progs are Go main packages to embed as user programs (progs.go):
	// each an existing directory or .go file, named after it.
	Progs []string
	// WorkDir holds generated files; default: "_" + base(Out) + ".build"
	// beside Out. The leading underscore keeps the generated runtime
	// copies out of `go list ./...` (and so out of go vet and go test).
	WorkDir string
	// Go is the go command; default "go" from PATH.
	Go string
	// Root is the module root; default: found with `go env GOMOD`.
	Root string
	// Log receives the commands run (nil: quiet).
	Log io.Writer
	// GCFlags, if set, is passed to go build as -gcflags, e.g.
	// DebugGCFlags for a kernel (and its user programs) to step through
	// line by line.
	GCFlags string
}

// DebugGCFlags turn off optimisation and inlining everywhere (the
// runtime layer included): locals are not "<optimized out>" and gdb's
// `next` moves one source line at a time. `make debug OPT=0` uses them.
const DebugGCFlags = "all=-N -l"

// Build builds the kernel ELF described by opts.
func Build(opts Options) error {
	if opts.Out == "" {
		return errors.New("kernel build: Options.Out is empty")
	}
	if err := checkProgs(opts.Progs); err != nil {
		return err
	}
	if _, err := boardTags(opts.Board); err != nil {
		return err
	}
	if opts.Go == "" {
		opts.Go = "go"
	}
	if opts.WorkDir == "" {
		opts.WorkDir = filepath.Join(filepath.Dir(opts.Out), "_"+filepath.Base(opts.Out)+".build")
	}
	if opts.Root == "" {
		root, err := moduleRoot(opts.Go)
		if err != nil {
			return err
		}
		opts.Root = root
	}
	if err := os.MkdirAll(opts.WorkDir, 0o755); err != nil {
		return fmt.Errorf("kernel build: %w", err)
	}
	gen, err := buildProgs(opts)
	if err != nil {
		return err
	}
	vgen, err := buildVDSO(opts)
	if err != nil {
		return err
	}
	overlay, err := writeOverlay(opts, gen, vgen)
	if err != nil {
		return err
	}
	// go build leaves an up-to-date output alone, so it links into the
	// work directory and the stub step writes Out from there.
	linked := filepath.Join(opts.WorkDir, "kernel.linked")
	if err := goBuild(opts, overlay, linked); err != nil {
		return err
	}
	if err := AddBootStub(linked, opts.Out, StubAddr); err != nil {
		return err
	}
	return writeGDBScript(overlay, opts.Out)
}

func checkProgs(progs []string) error {
	for _, p := range progs {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("kernel build: program %q: %w", p, err)
		}
	}
	return nil
}

// goEnv runs `go env name`.
func goEnv(goCmd, name string) (string, error) {
	out, err := exec.Command(goCmd, "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("kernel build: go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func moduleRoot(goCmd string) (string, error) {
	mod, err := goEnv(goCmd, "GOMOD")
	if err != nil {
		return "", err
	}
	if mod == "" || mod == os.DevNull {
		return "", errors.New("kernel build: not inside the copslab module (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}

// writeOverlay generates the edited runtime files and the overlay JSON
// that maps them and kernel/rt's files into $GOROOT/src/runtime.
// gen, if not empty, is the generated file with the embedded programs;
// vgen, if not empty, the one with the vDSO image.
func writeOverlay(opts Options, gen, vgen string) (string, error) {
	goroot, err := goEnv(opts.Go, "GOROOT")
	if err != nil {
		return "", err
	}
	version, err := goEnv(opts.Go, "GOVERSION")
	if err != nil {
		return "", err
	}
	rtSrc := filepath.Join(goroot, "src", "runtime")
	replace := map[string]string{}
	for _, file := range editedFiles(runtimeEdits) {
		src, err := os.ReadFile(filepath.Join(rtSrc, file))
		if err != nil {
			return "", fmt.Errorf("kernel build: Go %s: %w", version, err)
		}
		edited, err := applyEdits(version, file, string(src), runtimeEdits)
		if err != nil {
			return "", err
		}
		dst := filepath.Join(opts.WorkDir, "runtime", file)
		if err := writeIfChanged(dst, []byte(edited)); err != nil {
			return "", err
		}
		replace[filepath.Join(rtSrc, file)] = dst
	}
	own, err := ownRuntimeFiles(filepath.Join(opts.Root, "kernel", "rt"))
	if err != nil {
		return "", err
	}
	for _, f := range own {
		replace[filepath.Join(rtSrc, "copslab_"+filepath.Base(f))] = f
	}
	replace[filepath.Join(rtSrc, "goos", "goos.go")] = filepath.Join(opts.Root, GoosFile)
	if gen != "" {
		replace[filepath.Join(opts.Root, "kernel", "kmain", "zz_progs_gen.go")] = gen
	}
	if vgen != "" {
		replace[filepath.Join(opts.Root, "kernel", "kmain", "zz_vdso_gen.go")] = vgen
	}
	js, err := json.MarshalIndent(struct{ Replace map[string]string }{replace}, "", "\t")
	if err != nil {
		return "", err
	}
	path := filepath.Join(opts.WorkDir, "overlay.json")
	return path, writeIfChanged(path, js)
}

// ownRuntimeFiles lists kernel/rt's .go and .s files (not tests).
func ownRuntimeFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("kernel build: runtime layer: %w", err)
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if strings.HasSuffix(n, ".go") || strings.HasSuffix(n, ".s") || strings.HasSuffix(n, ".h") {
			files = append(files, filepath.Join(dir, n))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("kernel build: no runtime files in %s", dir)
	}
	return files, nil
}

// writeIfChanged keeps mtimes stable so the go build cache stays warm.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func goBuild(opts Options, overlay, linked string) error {
	out, err := filepath.Abs(linked)
	if err != nil {
		return err
	}
	ldflags := fmt.Sprintf("-T %#x -E %s", TextAddr, Entry)
	tags, err := boardTags(opts.Board)
	if err != nil {
		return err
	}
	args := []string{"build", "-overlay", overlay, "-tags", tags, "-ldflags", ldflags}
	if opts.GCFlags != "" {
		args = append(args, "-gcflags", opts.GCFlags)
	}
	args = append(args, "-o", out, MainPkg)
	cmd := exec.Command(opts.Go, args...)
	cmd.Dir = opts.Root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0", "GOFLAGS=")
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if opts.Log != nil {
		fmt.Fprintf(opts.Log, "GOOS=linux GOARCH=riscv64 CGO_ENABLED=0 %s %s\n", opts.Go, strings.Join(args, " "))
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kernel build: go build failed: %v\n%s", err, stderr.String())
	}
	return nil
}
