package views

import (
	"image/color"
	"math"
)

// Every text colour must be readable on the colour behind it: WCAG 2's
// contrast ratio of at least 4.5:1 (level AA for normal text). Text on a
// state or priority colour takes textOn's choice, and contrast_test.go
// checks every pair the views draw.

// MinContrast is WCAG 2 level AA for normal-size text.
const MinContrast = 4.5

// luminance is WCAG 2's relative luminance of c (alpha ignored).
func luminance(c color.NRGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is WCAG 2's contrast ratio of two colours, from 1 to 21.
func Contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// textOn returns the text colour for a label on background bg: the
// views' dark text or white, whichever contrasts more.
func textOn(bg color.NRGBA) color.NRGBA {
	if Contrast(colText, bg) >= Contrast(colBox, bg) {
		return colText
	}
	return colBox
}
