package ustack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"copslab/kernel/uabi"
)

// decoded is the initial stack read back the way a C or Go runtime reads it.
type decoded struct {
	argv, envp []string
	aux        map[uint64]uint64
	auxOrder   []uint64
}

// decode walks the image from sp, checking every pointer lies in
// [sp, top) above the vectors, and every string is NUL-terminated.
func decode(t *testing.T, sp, top uint64, img []byte) decoded {
	t.Helper()
	if uint64(len(img)) != top-sp {
		t.Fatalf("image %d bytes, top-sp = %d", len(img), top-sp)
	}
	if sp%16 != 0 {
		t.Fatalf("sp %#x not 16-byte aligned", sp)
	}
	if !bytes.Equal(img[len(img)-8:], make([]byte, 8)) {
		t.Errorf("top 8 bytes %x, want zero end marker", img[len(img)-8:])
	}
	word := func(i int) uint64 {
		if 8*i+8 > len(img) {
			t.Fatalf("vector runs off the image at word %d", i)
		}
		return binary.LittleEndian.Uint64(img[8*i:])
	}
	var vecEnd uint64 // first byte after the vectors, set below
	str := func(p uint64) string {
		if p < sp || p >= top {
			t.Fatalf("pointer %#x outside [%#x, %#x)", p, sp, top)
		}
		s := img[p-sp:]
		n := bytes.IndexByte(s, 0)
		if n < 0 {
			t.Fatalf("string at %#x not terminated", p)
		}
		return string(s[:n])
	}
	var d decoded
	argc := word(0)
	i := 1
	var argp, envpp []uint64
	for ; word(i) != 0; i++ {
		argp = append(argp, word(i))
	}
	if uint64(len(argp)) != argc {
		t.Fatalf("argc %d but %d argv pointers", argc, len(argp))
	}
	for i++; word(i) != 0; i++ {
		envpp = append(envpp, word(i))
	}
	d.aux = map[uint64]uint64{}
	for i++; ; i += 2 {
		k, v := word(i), word(i+1)
		if k == uabi.AT_NULL {
			if v != 0 {
				t.Errorf("AT_NULL value %#x", v)
			}
			i += 2
			break
		}
		if _, dup := d.aux[k]; dup {
			t.Errorf("aux key %d twice", k)
		}
		d.aux[k] = v
		d.auxOrder = append(d.auxOrder, k)
	}
	vecEnd = sp + uint64(8*i)
	for _, p := range append(append([]uint64{}, argp...), envpp...) {
		if p < vecEnd {
			t.Fatalf("string pointer %#x inside the vectors (end %#x)", p, vecEnd)
		}
		d.argv = append(d.argv, str(p))
	}
	d.envp, d.argv = d.argv[len(argp):], d.argv[:len(argp)]
	for _, k := range []uint64{uabi.AT_RANDOM, uabi.AT_EXECFN, uabi.AT_PLATFORM} {
		if p := d.aux[k]; p < vecEnd || p >= top {
			t.Errorf("aux %d pointer %#x outside the string area [%#x, %#x)", k, p, vecEnd, top)
		}
	}
	if vecEnd+16 > top {
		t.Fatal("no room for AT_RANDOM")
	}
	return d
}

func TestBuildRoundTrip(t *testing.T) {
	const top = 0x3fffff0000
	argv := []string{"/bin/hello", "one", "two words", ""}
	envp := []string{"HOME=/", "TERM=dumb"}
	aux := []AuxPair{{uabi.AT_PAGESZ, 4096}, {uabi.AT_PHDR, 0x10040}, {uabi.AT_PHENT, 56},
		{uabi.AT_PHNUM, 6}, {uabi.AT_ENTRY, 0x750d0}, {uabi.AT_HWCAP, 0x112d}}
	var random [16]byte
	for i := range random {
		random[i] = byte(0xa0 + i)
	}
	sp, img, err := Build(top, argv, envp, aux, random)
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, sp, top, img)
	if fmt.Sprint(d.argv) != fmt.Sprint(argv) || fmt.Sprint(d.envp) != fmt.Sprint(envp) {
		t.Errorf("argv %q envp %q", d.argv, d.envp)
	}
	for i, a := range aux {
		if d.aux[a.Key] != a.Val || d.auxOrder[i] != a.Key {
			t.Errorf("aux %d: got %#x (order %v)", a.Key, d.aux[a.Key], d.auxOrder)
		}
	}
	r := d.aux[uabi.AT_RANDOM]
	if !bytes.Equal(img[r-sp:r-sp+16], random[:]) {
		t.Errorf("AT_RANDOM bytes %x", img[r-sp:r-sp+16])
	}
	str := func(p uint64) string { s := img[p-sp:]; return string(s[:bytes.IndexByte(s, 0)]) }
	if got := str(d.aux[uabi.AT_EXECFN]); got != "/bin/hello" {
		t.Errorf("AT_EXECFN %q", got)
	}
	if got := str(d.aux[uabi.AT_PLATFORM]); got != "riscv64" {
		t.Errorf("AT_PLATFORM %q", got)
	}
	// Strings keep Linux's order: argv[0] lowest, envp above argv.
	if !(d.aux[uabi.AT_RANDOM] < d.aux[uabi.AT_PLATFORM]) {
		t.Error("AT_RANDOM not below the platform string")
	}
	t.Logf("sp %#x, image %d bytes", sp, len(img))
}

// TestBuildAlignment varies string lengths so every padding case occurs.
func TestBuildAlignment(t *testing.T) {
	const top = 0x40000000
	pads := map[uint64]bool{}
	for n := 0; n < 40; n++ {
		argv := []string{strings.Repeat("a", n)}
		envp := make([]string, n%5)
		for i := range envp {
			envp[i] = strings.Repeat("e", i+n%3)
		}
		aux := make([]AuxPair, n%4)
		for i := range aux {
			aux[i] = AuxPair{uabi.AT_PAGESZ + uint64(i), uint64(i)}
		}
		sp, img, err := Build(top, argv, envp, aux, [16]byte{})
		if err != nil {
			t.Fatal(err)
		}
		d := decode(t, sp, top, img)
		if len(d.argv) != 1 || d.argv[0] != argv[0] || len(d.envp) != len(envp) {
			t.Fatalf("n=%d: argv %q envp %q", n, d.argv, d.envp)
		}
		argv0 := binary.LittleEndian.Uint64(img[8:])
		pads[argv0%16] = true
		if (d.aux[uabi.AT_PLATFORM]+uint64(len(Platform))+1)%16 != 0 {
			t.Errorf("n=%d: platform string does not end on a 16-byte boundary", n)
		}
	}
	if len(pads) < 8 {
		t.Errorf("only %d padding cases exercised", len(pads))
	}
}

// TestBuildAuxPlaceholders: keys the caller places are filled in where
// they stand.
func TestBuildAuxPlaceholders(t *testing.T) {
	aux := []AuxPair{{uabi.AT_EXECFN, 0}, {uabi.AT_PAGESZ, 4096}, {uabi.AT_RANDOM, 99}}
	sp, img, err := Build(1<<30, []string{"prog"}, nil, aux, [16]byte{7})
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, sp, 1<<30, img)
	want := []uint64{uabi.AT_EXECFN, uabi.AT_PAGESZ, uabi.AT_RANDOM, uabi.AT_PLATFORM}
	if fmt.Sprint(d.auxOrder) != fmt.Sprint(want) {
		t.Errorf("aux order %v, want %v", d.auxOrder, want)
	}
	if r := d.aux[uabi.AT_RANDOM]; r == 99 || img[r-sp] != 7 {
		t.Errorf("AT_RANDOM %#x not filled in", r)
	}
	if aux[2].Val != 99 {
		t.Error("Build modified the caller's slice")
	}
	if _, _, err := build(1<<30, nil, nil, []AuxPair{{uabi.AT_PLATFORM, 0}}, [16]byte{}, ""); err == nil {
		t.Error("AT_PLATFORM accepted without a platform string")
	}
}

func TestBuildNoArguments(t *testing.T) {
	sp, img, err := Build(1<<30, nil, nil, nil, [16]byte{1})
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, sp, 1<<30, img)
	if len(d.argv) != 0 || len(d.envp) != 0 {
		t.Errorf("argv %q envp %q", d.argv, d.envp)
	}
}

func TestBuildErrors(t *testing.T) {
	big := strings.Repeat("x", MaxStringLen)
	many := make([]string, MaxImageSize/8)
	cases := []struct {
		name  string
		top   uint64
		argv  []string
		aux   []AuxPair
		want  string
		e2big bool
	}{
		{"misaligned top", 1<<30 + 8, nil, nil, "not 16-byte aligned", false},
		{"low top", 4096, nil, nil, "too low", false},
		{"nul", 1 << 30, []string{"a\x00b"}, nil, "NUL", false},
		{"long string", 1 << 30, []string{big}, nil, "limit", true},
		{"many strings", 1 << 30, many, nil, "limit", true},
		{"big total", 1 << 30, []string{big[:MaxStringLen-1], big[:MaxStringLen-1], big[:MaxStringLen-1], big[:MaxStringLen-1]}, nil, "limit", true},
		{"aux twice", 1 << 30, nil, []AuxPair{{uabi.AT_PAGESZ, 1}, {uabi.AT_PAGESZ, 2}}, "given twice", false},
		{"aux null", 1 << 30, nil, []AuxPair{{uabi.AT_NULL, 0}}, "added by Build", false},
		{"too many aux", 1 << 30, nil, make([]AuxPair, MaxAux+1), "aux entries", true},
	}
	for _, c := range cases {
		_, _, err := Build(c.top, c.argv, nil, c.aux, [16]byte{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
		if errors.Is(err, ErrTooBig) != c.e2big {
			t.Errorf("%s: errors.Is(ErrTooBig) = %v", c.name, !c.e2big)
		}
	}
	// Just under the limit works.
	if _, _, err := Build(1<<30, []string{big[:MaxStringLen-1]}, nil, nil, [16]byte{}); err != nil {
		t.Errorf("largest single string: %v", err)
	}
}

func BenchmarkBuild(b *testing.B) {
	argv := []string{"/bin/sh", "-c", "echo hello"}
	envp := []string{"HOME=/", "PATH=/bin", "TERM=dumb"}
	aux := []AuxPair{{uabi.AT_PAGESZ, 4096}, {uabi.AT_PHDR, 0x10040}, {uabi.AT_PHENT, 56}, {uabi.AT_PHNUM, 6}, {uabi.AT_ENTRY, 0x750d0}}
	b.ReportAllocs()
	for b.Loop() {
		Build(0x3fffff0000, argv, envp, aux, [16]byte{})
	}
}
