package views

import "fyne.io/fyne/v2"

// Labels must stay readable at any length. A name that does not fit its
// space loses the middle of its head, never its tail: the tail is what
// tells neighbours apart ("web-thr/conn#3 #17664 p1" becomes
// "web-th…conn#3 #17664 p1", not "web-thr/co…" like every other lane), and
// the view keeps the full text for a tooltip.

// fitText returns head+tail, with the middle of head replaced by "…"
// when the whole does not fit width at the given text size and style.
// tail is kept whole (if even "…"+tail does not fit, the whole text is
// elided as one head; if not even "…" fits, the result is "").
func fitText(head, tail string, width, size float32, bold bool) string {
	style := fyne.TextStyle{Bold: bold}
	fits := func(s string) bool { return fyne.MeasureText(s, size, style).Width <= width }
	if fits(head + tail) {
		return head + tail
	}
	if !fits("…" + tail) {
		if tail == "" {
			return "" // not even an ellipsis fits
		}
		return fitText(head+tail, "", width, size, bold)
	}
	h := []rune(head)
	// The longest k such that k runes of head (a third from its start,
	// the rest from its end) plus "…" and tail fit.
	lo, hi := 0, len(h)
	for lo < hi {
		k := (lo + hi + 1) / 2
		if fits(elideMiddle(h, k) + tail) {
			lo = k
		} else {
			hi = k - 1
		}
	}
	return elideMiddle(h, lo) + tail
}

// elideMiddle keeps k runes of h: k/3 from the start, the rest from the
// end, with "…" between.
func elideMiddle(h []rune, k int) string {
	a := k / 3
	return string(h[:a]) + "…" + string(h[len(h)-(k-a):])
}
