package ustack

import (
	"bytes"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copslab/kernel/uabi"
)

// TestMatchesQemuUser builds testdata/stackdump for riscv64, runs it under
// qemu-user (whose loader mirrors Linux's create_elf_tables) and rebuilds
// the same stack with build — same top, arguments, environment, auxv keys
// in qemu's order, no platform string — expecting identical bytes.
func TestMatchesQemuUser(t *testing.T) {
	qemu, err := exec.LookPath("qemu-riscv64")
	if err != nil {
		t.Skip("qemu-riscv64 not installed (Debian package qemu-user)")
	}
	bin := filepath.Join(t.TempDir(), "stackdump")
	gobuild := exec.Command("go", "build", "-o", bin, "./testdata/stackdump")
	gobuild.Env = append(gobuild.Environ(), "GOOS=linux", "GOARCH=riscv64", "CGO_ENABLED=0")
	if out, err := gobuild.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, c := range []struct{ args, env []string }{
		{[]string{"one", "two words", ""}, []string{"A=1", "BB=22", "LONGER_VARIABLE=some value"}},
		{nil, nil},
		{[]string{"x"}, []string{"K=v"}},
		{[]string{"abcdefg", "hi"}, []string{"P=/bin:/usr/bin", "Q=", "R=12345678901"}},
	} {
		compareWithQemu(t, qemu, bin, append([]string{bin}, c.args...), c.env)
	}
}

func compareWithQemu(t *testing.T, qemu, bin string, argv, envp []string) {
	cmd := exec.Command(qemu, argv...)
	cmd.Env = append([]string{}, envp...) // non-nil: nil would inherit ours
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("stackdump: %v\n%s", err, out)
	}
	var aux []AuxPair
	var top, sp uint64
	var dump []byte
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		switch f[0] {
		case "aux":
			k, _ := strconv.ParseUint(f[1], 10, 64)
			v, _ := strconv.ParseUint(f[2], 10, 64)
			if k != uabi.AT_NULL {
				aux = append(aux, AuxPair{k, v})
			}
		case "top":
			top, _ = strconv.ParseUint(f[1], 10, 64)
		case "sp":
			sp, _ = strconv.ParseUint(f[1], 10, 64)
		case "dump":
			dump, _ = hex.DecodeString(f[1])
		default:
			t.Fatalf("unexpected line %q", line)
		}
	}
	var random [16]byte
	for _, a := range aux {
		if a.Key == uabi.AT_RANDOM {
			copy(random[:], dump[a.Val-sp:])
		}
	}
	// qemu-user keeps the environment in a list it prepends to, so the
	// program sees it reversed; the layout rule itself (envp[0] lowest)
	// is Linux's.
	seen := make([]string, len(envp))
	for i, e := range envp {
		seen[len(envp)-1-i] = e
	}
	gotSP, img, err := build(top, argv, seen, aux, random, "")
	if err != nil {
		t.Fatal(err)
	}
	if gotSP != sp || !bytes.Equal(img, dump) {
		t.Errorf("sp %#x, qemu-user %#x; images differ (ours %d bytes, qemu %d)", gotSP, sp, len(img), len(dump))
		for off := 0; off < len(img) && off < len(dump); off += 16 {
			a, b := img[off:min(off+16, len(img))], dump[off:min(off+16, len(dump))]
			if !bytes.Equal(a, b) {
				t.Logf("+%#04x ours %x\n        qemu %x", off, a, b)
			}
		}
	}
}
