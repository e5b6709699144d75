package lessonpanel

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"
)

// drawPredict shows the step's question and its choices (before the
// action), the reveal (after), or the Run button (no question).
func (p *Panel) drawPredict() {
	p.predict.RemoveAll()
	for k := range p.Controls {
		if strings.HasPrefix(k, "lesson.choice.") || k == "lesson.run" || k == "lesson.order" {
			delete(p.Controls, k)
		}
	}
	if !p.started {
		return
	}
	st := p.cur.Steps[p.step]
	q := st.Predict
	switch {
	case p.acted && p.reveal != nil:
		p.predict.Add(bold("Predict: " + q.Ask))
		r := p.reveal
		verdict := "✓ right (+1)"
		if !r.Correct {
			verdict = "✗ not quite"
		}
		l := widget.NewLabel(fmt.Sprintf("You said %s — it was %s. %s", strings.Join(r.Guess, ", "), strings.Join(r.Observed, ", "), verdict))
		l.Wrapping = 3
		p.predict.Add(l)
		if r.Explain != "" {
			e := widget.NewLabel(r.Explain)
			e.Wrapping = 3
			p.predict.Add(e)
		}
		p.predict.Add(widget.NewLabel(fmt.Sprintf("Score: %d of %d", p.score, p.asked)))
	case p.acted:
	case q != nil:
		p.predict.Add(bold("Predict first: " + q.Ask))
		if q.What == "queue_order" {
			e := widget.NewEntry()
			e.SetPlaceHolder("names, head first, separated by commas")
			p.Controls["lesson.order"] = e
			p.predict.Add(e)
			p.predict.Add(p.button("lesson.choice.0", "Predict and run", func() {
				var guess []string
				for _, s := range strings.Split(e.Text, ",") {
					if s = strings.TrimSpace(s); s != "" {
						guess = append(guess, s)
					}
				}
				p.run(guess)
			}))
			break
		}
		for i, c := range q.Options(p.host.Model()) {
			c := c
			p.predict.Add(p.button(fmt.Sprintf("lesson.choice.%d", i), c, func() { p.run([]string{c}) }))
		}
	default:
		b := p.button("lesson.run", "Run this step", func() { p.run(nil) })
		b.Importance = widget.HighImportance
		p.predict.Add(b)
	}
	p.predict.Refresh()
}

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.Wrapping = 3
	return l
}
