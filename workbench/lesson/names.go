package lesson

import (
	"fmt"
	"path"

	"copslab/sched"
	"copslab/workbench/model"
)

// env is what checks and predictions read: the model and its names.
type env struct {
	m     *model.Model
	s     *model.Snapshot // the live state
	co    map[uint32]string
	procs map[uint16]string
}

func newEnv(m *model.Model) *env {
	e := &env{m: m, s: m.Now(), co: map[uint32]string{}, procs: map[uint16]string{}}
	for _, l := range m.Lanes() {
		if l.Name != "" {
			e.co[l.ID] = l.Name
		}
	}
	e.fill(e.s)
	return e
}

// coName names a coroutine ("#id" when unknown).
func (e *env) coName(id uint32) string {
	if id == sched.NoCo {
		return "none"
	}
	if n, ok := e.co[id]; ok {
		return n
	}
	return fmt.Sprintf("#%d", id)
}

// findCo returns the coroutine called name (the newest with that name):
// live, or from its lane when it has exited and left the target's
// snapshot; nil when there is none.
func (e *env) findCo(name string) *model.CoState {
	for i := len(e.s.Cos) - 1; i >= 0; i-- {
		if e.co[e.s.Cos[i].ID] == name {
			return &e.s.Cos[i]
		}
	}
	lanes := e.m.Lanes()
	for i := len(lanes) - 1; i >= 0; i-- {
		if l := &lanes[i]; e.co[l.ID] == name && len(l.Marks) > 0 {
			return &model.CoState{ID: l.ID, Proc: l.Proc, Name: name, Kind: l.Kind, State: l.Marks[len(l.Marks)-1].S}
		}
	}
	return nil
}

// findProc returns the process called name, or nil.
func (e *env) findProc(name string) *model.ProcState {
	for i := range e.s.Procs {
		if e.s.Procs[i].Name == name {
			return &e.s.Procs[i]
		}
	}
	return nil
}

// match reports whether event ev matches p.
func (e *env) match(p *EventPat, ev *sched.Event) bool {
	if p.Cause != "" && ev.Cause.String() != p.Cause {
		return false
	}
	if p.To != "" {
		if st, _ := stateByName(p.To); ev.To != st || ev.From == ev.To {
			return false
		}
	}
	if p.Co != "" && !matchName(p.Co, e.coName(ev.Co)) {
		return false
	}
	if p.Proc != "" && !matchName(p.Proc, e.procs[ev.Proc]) {
		return false
	}
	return true
}

// matchName matches a name pattern (path.Match syntax: * ? [..]).
func matchName(pat, name string) bool {
	ok, _ := path.Match(pat, name)
	return ok
}
