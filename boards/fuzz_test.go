package boards

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes as a profile: Load must not panic, and
// must either return a checked profile or errors that each name the file
// and a line inside it.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"qemu-virt.yaml", "qemu-sifive_u.yaml", "rocket-axu15eg.yaml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(goodProfile))
	f.Add([]byte("name: [x\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "p.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		type result struct {
			p   *Profile
			err error
		}
		done := make(chan result, 1)
		go func() {
			p, err := Load(path)
			done <- result{p, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Load did not return within 10 s on %q", data)
		}
		p, err := r.p, r.err
		if err == nil {
			if p == nil || strings.TrimSpace(p.Name) == "" || (p.Hardware == nil && p.QEMU.CPUs < 1) {
				t.Fatalf("accepted an unchecked profile: %+v", p)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		at := regexp.MustCompile(`^` + regexp.QuoteMeta(path) + `:(\d+): `)
		for _, l := range strings.Split(err.Error(), "\n") {
			m := at.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("error line %q does not start with %s:LINE:", l, path)
			}
			if n, _ := strconv.Atoi(m[1]); n < 1 || n > lines+1 {
				t.Fatalf("line %d outside the %d-line input: %q", n, lines, l)
			}
		}
	})
}
