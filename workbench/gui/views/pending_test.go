package views_test

import (
	"image"
	"image/color"
	"testing"

	"copslab/sched"
	"copslab/workbench/gui/views"
)

// TestTimelineShowsPendingUintr: in the gap above the reader's lane the
// timeline is magenta exactly while its user interrupt is pending
// (uintr-send → the handler's wake), and not before the send or after
// the wake.
func TestTimelineShowsPendingUintr(t *testing.T) {
	m := tinyModel(t, "tiny")
	var send, wake uint64
	for _, e := range m.Events() {
		if e.Cause == sched.CauseUintrSend && send == 0 {
			send = e.Time
		}
		if e.Cause == sched.CauseUintr && wake == 0 {
			wake = e.Time
		}
	}
	if send == 0 || wake <= send {
		t.Fatalf("send %d, wake %d", send, wake)
	}
	// 170 px of lane names, then 100 ns per pixel; lanes start at y=22 and
	// are 19 px apart: hart 0, then the reader (the first coroutine).
	img := image.NewRGBA(image.Rect(0, 0, 170+400, 200))
	views.DrawTimeline(img, m, views.Params{T0: 0, T1: 40000, Scale: 1})
	magenta := color.RGBA{0xc2, 0x18, 0x5b, 0xff}
	x := func(t uint64) int { return 170 + int(t/100) }
	y := 22 + 19 - 2
	for _, c := range []struct {
		t    uint64
		want bool
	}{{send - 2000, false}, {send + 100, true}, {(send + wake) / 2, true}, {wake - 100, true}, {wake + 200, false}} {
		if got := img.RGBAAt(x(c.t), y) == magenta; got != c.want {
			t.Errorf("at %d ns (send %d, wake %d): pending band %v, want %v", c.t, send, wake, got, c.want)
		}
	}
}
