package lessonpanel

import (
	"encoding/json"
	"os"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// drawChecks lists the step's checks with a mark each: a green tick when
// it holds, a red cross when not, a grey dot before the step has run.
func (p *Panel) drawChecks() {
	p.checks.RemoveAll()
	if p.cur == nil || !p.started {
		p.checks.Refresh()
		return
	}
	st := p.cur.Steps[p.step]
	for i, c := range st.Checks {
		var icon fyne.Resource = theme.NewDisabledResource(theme.RadioButtonIcon())
		text := c.String()
		if i < len(p.results) {
			r := p.results[i]
			if r.OK {
				icon = theme.NewSuccessThemedResource(theme.ConfirmIcon())
			} else {
				icon = theme.NewErrorThemedResource(theme.CancelIcon())
				text += " — now: " + r.Got
			}
		}
		mark := widget.NewIcon(icon)
		p.Controls["lesson.mark."+strconv.Itoa(i)] = mark
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		p.checks.Add(container.NewBorder(nil, nil, mark, nil, l))
	}
	if p.reveal != nil && len(p.reveal.Expected) > 0 {
		var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		if !p.reveal.Holds {
			icon = theme.NewErrorThemedResource(theme.CancelIcon())
		}
		p.checks.Add(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, widget.NewLabel("the scheduler did what the lesson predicts")))
	}
	p.checks.Refresh()
}

// State is what the panel shows, written to StatePath for tests.
type State struct {
	Lesson  string `json:"lesson"`
	Step    int    `json:"step"` // 0-based
	Started bool   `json:"started"`
	Acted   bool   `json:"acted"`
	Busy    bool   `json:"busy"`
	Checks  []bool `json:"checks"`
	Passed  bool   `json:"passed"`
	Score   int    `json:"score"`
	Asked   int    `json:"asked"`
	Error   string `json:"error,omitempty"`
}

// State returns the panel's state.
func (p *Panel) State() State {
	s := State{Started: p.started, Acted: p.acted, Busy: p.busy, Score: p.score, Asked: p.asked, Step: p.step, Passed: p.Passed()}
	if p.cur != nil {
		s.Lesson = p.cur.Name
	}
	for _, r := range p.results {
		s.Checks = append(s.Checks, r.OK)
	}
	if p.err != nil {
		s.Error = p.err.Error()
	}
	return s
}

func (p *Panel) writeState() {
	if p.StatePath == "" {
		return
	}
	b, err := json.Marshal(p.State())
	if err == nil {
		err = os.WriteFile(p.StatePath+".tmp", b, 0o644)
	}
	if err == nil {
		os.Rename(p.StatePath+".tmp", p.StatePath)
	}
}
