package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints a one-line status on stderr at most every 200 ms,
// rewriting the line, and a final line on done.
type progress struct {
	w     io.Writer
	last  time.Time
	shown bool
}

func newProgress() *progress { return &progress{w: os.Stderr} }

func (p *progress) update(f string, a ...any) {
	if time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\r"+f+"\033[K", a...)
}

func (p *progress) done(f string, a ...any) {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, f+"\n", a...)
}
