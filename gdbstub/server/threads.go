package server

import (
	"strings"

	"copslab/gdbstub/rsp"
)

// threadBatch is how many ids one qfThreadInfo/qsThreadInfo reply carries.
const threadBatch = 64

func (s *session) threadInfo(first bool) error {
	tt, ok := s.t.(ThreadTarget)
	if !ok {
		return s.replyString("")
	}
	if first {
		list, err := tt.Threads()
		if err != nil {
			return s.replyErr(err)
		}
		s.thr = list
	}
	if len(s.thr) == 0 {
		return s.replyString("l")
	}
	n := min(len(s.thr), threadBatch)
	ids := make([]string, n)
	for i, t := range s.thr[:n] {
		ids[i] = t.ID
	}
	s.thr = s.thr[n:]
	return s.replyString("m" + strings.Join(ids, ","))
}

func (s *session) threadExtra(id string) error {
	tt, ok := s.t.(ThreadTarget)
	if !ok {
		return s.replyString("")
	}
	list, err := tt.Threads()
	if err != nil {
		return s.replyErr(err)
	}
	for _, t := range list {
		if t.ID == id {
			return s.replyString(rsp.HexEncode([]byte(t.Extra)))
		}
	}
	return s.replyErr(bad("no thread %q", id))
}

func (s *session) currentThread() error {
	if s.stop.Thread == "" {
		return s.replyString("")
	}
	return s.replyString("QC" + s.stop.Thread)
}

// selectThread answers Hg<id> / Hc<id>.
func (s *session) selectThread(arg []byte) error {
	if len(arg) < 2 {
		return s.replyErr(bad("H: %q", arg))
	}
	tt, ok := s.t.(ThreadTarget)
	if !ok {
		return s.replyString("OK") // one implicit thread: any choice is fine
	}
	return s.replyOK(tt.SelectThread(arg[0], string(arg[1:])))
}

func (s *session) threadAlive(id string) error {
	tt, ok := s.t.(ThreadTarget)
	if !ok {
		return s.replyString("OK")
	}
	list, err := tt.Threads()
	if err != nil {
		return s.replyErr(err)
	}
	for _, t := range list {
		if t.ID == id {
			return s.replyString("OK")
		}
	}
	return s.replyErr(bad("no thread %q", id))
}

// haltReason answers '?'. Before the first resume the stop names no
// thread; a ThreadTarget's first thread is reported then, so gdb has a
// current thread from the start.
func (s *session) haltReason() error {
	if tt, ok := s.t.(ThreadTarget); ok && s.stop.Thread == "" {
		if list, err := tt.Threads(); err == nil && len(list) > 0 {
			s.stop.Thread = list[0].ID
		}
	}
	return s.replyString(s.stop.Encode())
}
