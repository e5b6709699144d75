package gui

import (
	"encoding/json"
	"os"

	"copslab/sched"
)

// UIState is what the window shows, written as JSON after every change
// when COPSLAB_UI_STATE names a file, so a test driving the real binary
// with xdotool can compare the tasks view with the trace.
type UIState struct {
	Events  int          `json:"events"`
	Steps   int          `json:"steps"`
	Status  string       `json:"status"`
	Last    *sched.Event `json:"last,omitempty"`
	Tasks   []UITask     `json:"tasks"`
	Running bool         `json:"running"`
	Writes  int          `json:"writes"` // how many times the state was written: refreshes, for rate measurements
}

// UITask is one row of the tasks view as displayed.
type UITask struct {
	ID    uint32 `json:"id"`
	Name  string `json:"name"`
	State string `json:"state"`
}

// writeUIState writes the state to path (atomically: a reader never sees
// half a file).
func (w *Workbench) writeUIState(path string) error {
	w.stateWrites++
	st := UIState{Events: w.C.M.Len(), Steps: w.C.Steps, Status: w.C.Status(), Running: w.C.Running, Writes: w.stateWrites}
	if evs := w.C.M.Events(); len(evs) > 0 {
		e := evs[len(evs)-1]
		st.Last = &e
	}
	for _, r := range w.tasks.Rows() {
		st.Tasks = append(st.Tasks, UITask{ID: r.ID, Name: r.Name, State: r.State.String()})
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
