package rsp

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// TextLog returns a WireLog that writes one line per transfer to w, each
// cut to n bytes of wire data (DefaultLogBytes if n <= 0):
//
//	20:31:07.123456 -> $m80000000,8#c5
//	20:31:07.123789 <- $0000000000000000#00
func TextLog(w io.Writer, n int) WireLog {
	if n <= 0 {
		n = DefaultLogBytes
	}
	var mu sync.Mutex
	return func(dir Direction, at time.Time, raw []byte) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s %s\n", at.Format("15:04:05.000000"), dir, Shorten(raw, n))
	}
}
