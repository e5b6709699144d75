//go:build !ci

package main

// This test starts the real copslab binary (cgo, OpenGL through Mesa's
// software renderer) on a private Xvfb display, clicks Step and Run with
// xdotool and compares screenshots taken with xwd. It needs Xvfb, xdotool
// and xwd (scripts/prereqs.sh installs them) and skips without them.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// xservers maps each display xvfb started to its Xvfb process.
var xservers sync.Map

// xvfb starts Xvfb on a free display (chosen by Xvfb via -displayfd) and
// returns the DISPLAY value; Cleanup kills it.
func xvfb(t testing.TB) string {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1400x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb did not report a display")
		}
		xservers.Store(":"+n, cmd.Process)
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start")
	}
	return ""
}

func TestWindowUnderXvfb(t *testing.T) {
	a := startApp(t, "webserver")
	// The window uses the screen it gets (Xvfb's 1400×900, no panels).
	if a.ww < 1390 || a.wh < 890 {
		t.Errorf("window is %dx%d on a 1400x900 screen", a.ww, a.wh)
	}
	before := a.shot("0-start")
	time.Sleep(time.Second)
	if n := differ(before, a.shot("0-idle")); n > 50 {
		t.Fatalf("the idle window changed %d pixels by itself; the clicks would prove nothing", n)
	}
	a.click("step")
	a.click("step")
	stepped := waitChange(t, a.env, a.dir, "1-stepped", before, 200)
	a.click("run")
	time.Sleep(2 * time.Second) // let it run a while, then look
	waitChange(t, a.env, a.dir, "2-running", stepped, 2000)
	// SIGTERM while running: a prompt, clean exit with nothing logged
	// (no locale complaint under C.UTF-8, no thread errors from the
	// worker delivering while Fyne shuts down).
	if !a.end(syscall.SIGTERM, 30*time.Second) {
		t.Fatal("copslab still runs 30 s after SIGTERM")
	}
	if a.exitErr != nil {
		t.Errorf("exit after SIGTERM: %v", a.exitErr)
	}
	if out := a.output(); out != "" {
		t.Errorf("copslab wrote %d lines, want none; first:\n%.2000s", strings.Count(out, "\n"), out)
	}
}

// lockedWriter serialises writes to a buffer read by the test.
type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// waitChange takes screenshots until at least min pixels differ from
// prev (the app repaints asynchronously; a loaded machine may be slow) and
// fails after 20 s.
func waitChange(t testing.TB, env []string, dir, name string, prev image.Image, min int) image.Image {
	deadline := time.Now().Add(20 * time.Second)
	for {
		img := shoot(t, env, dir, name)
		n := differ(prev, img)
		if n >= min {
			t.Logf("%s: %d pixels changed", name, n)
			return img
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: only %d pixels changed (want %d)", name, n, min)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func xdo(t testing.TB, env []string, args ...string) string {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// shoot takes a screenshot of the whole display with xwd; with
// COPSLAB_SHOTS set it also saves it there as PNG.
func shoot(t testing.TB, env []string, dir, name string) image.Image {
	cmd := exec.Command("xwd", "-root", "-silent")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xwd: %v", err)
	}
	img, err := decodeXWD(out)
	if err != nil {
		t.Fatalf("xwd output: %v", err)
	}
	if d := os.Getenv("COPSLAB_SHOTS"); d != "" {
		f, err := os.Create(filepath.Join(d, name+".png"))
		if err == nil {
			png.Encode(f, img)
			f.Close()
		}
	}
	return img
}

// differ counts pixels that differ between two images of the same size.
func differ(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// decodeXWD decodes an X window dump in ZPixmap format with 24/32 bits
// per pixel (what xwd writes for an Xvfb TrueColor screen). Layout: a
// header of big-endian uint32 fields (see XWDFile.h), the window name,
// ncolors 12-byte colormap entries, then the pixel rows.
func decodeXWD(b []byte) (image.Image, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("too short for an XWD header")
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(b[4*i:])
	}
	hdrSize, version, format := h[0], h[1], h[2]
	width, height, byteOrder, bpp, bpl := h[4], h[5], h[7], h[11], h[12]
	rmask, gmask, bmask, ncolors := h[14], h[15], h[16], h[19]
	if version != 7 || format != 2 || (bpp != 32 && bpp != 24) {
		return nil, fmt.Errorf("unsupported XWD: version %d format %d bpp %d", version, format, bpp)
	}
	off := uint64(hdrSize) + uint64(ncolors)*12
	if off+uint64(height)*uint64(bpl) > uint64(len(b)) || width > 1<<15 || height > 1<<15 {
		return nil, fmt.Errorf("XWD truncated: %dx%d, %d bytes per line, %d bytes", width, height, bpl, len(b))
	}
	img := image.NewRGBA(image.Rect(0, 0, int(width), int(height)))
	step := bpp / 8
	for y := 0; y < int(height); y++ {
		row := b[off+uint64(y)*uint64(bpl):]
		for x := 0; x < int(width); x++ {
			var p uint32
			px := row[x*int(step):]
			for k := 0; k < int(step); k++ {
				if byteOrder == 0 { // LSBFirst
					p |= uint32(px[k]) << (8 * k)
				} else {
					p = p<<8 | uint32(px[k])
				}
			}
			img.Set(x, y, color.RGBA{channel(p, rmask), channel(p, gmask), channel(p, bmask), 0xff})
		}
	}
	return img, nil
}

// channel extracts an 8-bit colour channel selected by mask.
func channel(p, mask uint32) uint8 {
	if mask == 0 {
		return 0
	}
	shift := 0
	for mask&1 == 0 {
		mask >>= 1
		shift++
	}
	v := (p >> shift) & mask
	if mask != 0xff {
		v = v * 255 / mask
	}
	return uint8(v)
}
