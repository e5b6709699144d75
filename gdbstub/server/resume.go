package server

import (
	"fmt"

	"copslab/gdbstub/rsp"
)

// result carries Target.Resume's outcome to the session loop.
type result struct {
	stop Stop
	err  error
}

// resume is protocol step 3: run the target on a goroutine and meanwhile
// watch the stream for the interrupt byte or a drop.
func (s *session) resume(step bool) error {
	res := make(chan result, 1)
	go func() {
		st, err := s.t.Resume(step)
		res <- result{st, err}
	}()
	for {
		select {
		case r := <-res:
			return s.stopped(r)
		case it := <-s.items:
			if it.Kind == rsp.KindInterrupt {
				if err := s.t.Interrupt(); err != nil && s.opts.Verbose != nil {
					s.opts.Verbose.Printf("interrupt: %v", err)
				}
			}
			// In all-stop mode gdb sends nothing else while the target
			// runs; anything else is dropped.
		case <-s.done:
			// gdb went away while the target runs: stop it, then end.
			s.t.Interrupt()
			<-res
			return fmt.Errorf("gdb disconnected while the target was running: %w", s.rerr)
		}
	}
}

// stopped sends the stop reply. A target that failed (e.g. died) is
// reported to gdb as terminated by SIGKILL and the session ends.
func (s *session) stopped(r result) error {
	if r.err != nil {
		if s.opts.Verbose != nil {
			s.opts.Verbose.Printf("resume: %v", r.err)
		}
		s.ending = true
		return s.replyString(Stop{Killed: true, Signal: 9}.Encode())
	}
	s.stop = r.stop
	return s.replyString(r.stop.Encode())
}
