// Command tmpfiles does what programs do with temporary files: a
// directory from os.MkdirTemp, files from os.WriteFile and
// os.CreateTemp, reading, seeking, truncating, renaming, listing and
// removing them, changing into their directory (os.Chdir, relative
// names, os.Getwd), and checks every result:
//
//	tmpfiles: round trip of 100000 bytes ok
//	tmpfiles: chdir ok
//	tmpfiles: ok
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

func main() {
	dir, err := os.MkdirTemp("", "tmpfiles-")
	must(err)
	data := make([]byte, 100000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	a := filepath.Join(dir, "a.bin")
	must(os.WriteFile(a, data, 0o644))
	got, err := os.ReadFile(a)
	must(err)
	if !bytes.Equal(got, data) {
		fail("read back %d bytes, not what was written", len(got))
	}
	fmt.Printf("tmpfiles: round trip of %d bytes ok\n", len(got))

	f, err := os.CreateTemp(dir, "b-*.txt")
	must(err)
	_, err = f.WriteString("hello, world")
	must(err)
	_, err = f.Seek(7, io.SeekStart)
	must(err)
	rest, err := io.ReadAll(f)
	must(err)
	if string(rest) != "world" {
		fail("after seek read %q", rest)
	}
	must(f.Truncate(5))
	st, err := f.Stat()
	must(err)
	if st.Size() != 5 || st.IsDir() {
		fail("stat after truncate: size %d dir %v", st.Size(), st.IsDir())
	}
	must(f.Close())
	b := filepath.Join(dir, "b.txt")
	must(os.Rename(f.Name(), b))
	if _, err := os.Stat(f.Name()); !os.IsNotExist(err) {
		fail("old name after rename: %v", err)
	}
	must(os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	ents, err := os.ReadDir(dir)
	must(err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"a.bin", "b.txt", "sub"}) {
		fail("directory lists %v", names)
	}
	// The working directory: relative names resolve against it.
	sub := filepath.Join(dir, "sub")
	must(os.Chdir(sub))
	must(os.WriteFile("c.txt", []byte("relative"), 0o644))
	if wd, err := os.Getwd(); err != nil || wd != sub {
		fail("Getwd after Chdir(%s) = %q, %v", sub, wd, err)
	}
	if got, err := os.ReadFile(filepath.Join(sub, "c.txt")); err != nil || string(got) != "relative" {
		fail("file written by a relative name: %q, %v", got, err)
	}
	must(os.Chdir(".."))
	if wd, err := os.Getwd(); err != nil || wd != dir {
		fail("Getwd after Chdir(..) = %q, %v", wd, err)
	}
	if err := os.Chdir("a.bin"); err == nil {
		fail("Chdir to a file succeeded")
	}
	must(os.Chdir("/"))
	fmt.Println("tmpfiles: chdir ok")
	must(os.Remove(b))
	must(os.RemoveAll(dir))
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		fail("directory still there: %v", err)
	}
	fmt.Println("tmpfiles: ok")
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Printf("tmpfiles: FAIL: "+format+"\n", args...)
	os.Exit(1)
}
