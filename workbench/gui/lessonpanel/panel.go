// Package lessonpanel is the workbench window's lesson side panel: the
// lesson's text, step progress, the step's checks evaluated live on the
// model, hints, and predict-then-reveal questions with a score. It runs
// lessons of package lesson through a Host (the window's controller), so
// the panel never touches a target: actions run on the controller's
// worker, checks read the model on the UI goroutine.
//
// A step with a prediction shows its choices first; choosing one runs
// the step's action, then reveals what happened and scores the guess. A
// step without one has a Run button. The last lesson and step are kept in
// a Store (the app's preferences); reopening a lesson at step k replays
// the actions of the steps before it (the sandbox is deterministic). On
// the first start, with nothing remembered, the panel offers the first
// lesson.
package lessonpanel

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/lesson"
	"copslab/workbench/model"
)

// Host runs lessons for the panel. Load and Advance return at once and
// call done on the UI goroutine when the model has the result.
type Host interface {
	Model() *model.Model
	Workload(l *lesson.Lesson) string // what l loads on the host's target: a scenario or a kernel command line
	Load(workload string, done func(error))
	Advance(a *lesson.Action, done func(error))
}

// Store remembers small strings across runs (fyne.Preferences has these).
type Store interface {
	String(key string) string
	SetString(key, value string)
}

// Store keys.
const (
	KeyLesson = "lesson.last"
	KeyStep   = "lesson.step"
)

// Panel is the lesson side panel.
type Panel struct {
	Controls  map[string]fyne.CanvasObject // named widgets, for tests and the UI map
	StatePath string                       // when set, the panel's state is written there as JSON after every change (tests)
	OnLayout  func()                       // called when the set of controls changed

	host    Host
	store   Store
	lessons []*lesson.Lesson

	cur     *lesson.Lesson
	step    int
	started bool // the lesson's scenario is loaded and steps before step replayed
	busy    bool // an action is running
	acted   bool // the current step's action has run (or it has none)
	from    int  // model event index before the action (predictions)
	reveal  *lesson.Reveal
	hints   int // hints shown in this step
	score   int
	asked   int
	err     error
	results []lesson.Result

	pick     *widget.Select
	title    *widget.Label
	progress *widget.Label
	text     *widget.RichText
	predict  *fyne.Container
	checks   *fyne.Container
	hintText *widget.Label
	status   *widget.Label
	start    *widget.Button
	prev     *widget.Button
	next     *widget.Button
	hintBtn  *widget.Button
	content  fyne.CanvasObject
}

// New builds the panel for the lessons ls.
func New(host Host, store Store, ls []*lesson.Lesson) *Panel {
	p := &Panel{Controls: map[string]fyne.CanvasObject{}, host: host, store: store, lessons: ls}
	titles := make([]string, len(ls))
	for i, l := range ls {
		titles[i] = l.Title
	}
	p.pick = widget.NewSelect(titles, func(t string) {
		for _, l := range ls {
			if l.Title == t && l != p.cur {
				p.choose(l, 0)
			}
		}
	})
	p.pick.PlaceHolder = "choose a lesson"
	p.Controls["lesson.pick"] = p.pick
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Wrapping = fyne.TextWrapWord
	p.progress = widget.NewLabel("")
	p.text = widget.NewRichTextFromMarkdown("")
	p.text.Wrapping = fyne.TextWrapWord
	p.predict = container.NewVBox()
	p.checks = container.NewVBox()
	p.hintText = widget.NewLabel("")
	p.hintText.Wrapping = fyne.TextWrapWord
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.start = p.button("lesson.start", "Start the lesson", p.begin)
	p.start.Importance = widget.HighImportance
	p.prev = p.button("lesson.prev", "◀ Back", func() { p.goTo(p.step - 1) })
	p.next = p.button("lesson.next", "Next step ▶", func() { p.goTo(p.step + 1) })
	p.hintBtn = p.button("lesson.hint", "Hint", p.showHint)
	nav := container.NewHBox(p.prev, p.hintBtn, p.next)
	body := container.NewVBox(p.title, p.progress, p.text, p.start, p.predict,
		widget.NewLabelWithStyle("Checks (live)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.checks,
		p.hintText, p.status)
	p.content = container.NewBorder(p.pick, nav, nil, nil, container.NewVScroll(body))
	p.offer()
	return p
}

// UseStore switches to store s (the app's preferences) and offers what
// it remembers.
func (p *Panel) UseStore(s Store) {
	p.store = s
	p.offer()
}

// Content returns the panel's widget tree.
func (p *Panel) Content() fyne.CanvasObject { return p.content }

func (p *Panel) button(name, label string, tap func()) *widget.Button {
	b := widget.NewButton(label, tap)
	p.Controls[name] = b
	return b
}

// offer shows the remembered lesson and step, or on the first start the
// first lesson, with a button to start (nothing runs until it is pressed,
// so the window's own scenario is left alone).
func (p *Panel) offer() {
	if len(p.lessons) == 0 {
		p.title.SetText("No lessons found")
		p.render()
		return
	}
	l, step := p.lessons[0], 0
	welcome := "New here? Start with this lesson: it runs its own scenario and checks what you see."
	if name := p.store.String(KeyLesson); name != "" {
		if r, err := lesson.Find(p.lessons, name); err == nil {
			l = r
			step, _ = strconv.Atoi(p.store.String(KeyStep))
			step = min(max(step, 0), len(l.Steps)-1)
			welcome = fmt.Sprintf("Welcome back: resume at step %d.", step+1)
		}
	}
	p.cur, p.step, p.started = l, step, false
	p.pick.SetSelected(l.Title)
	p.status.SetText(welcome)
	p.render()
}

// choose selects lesson l at step (from the list): it is offered, not run.
func (p *Panel) choose(l *lesson.Lesson, step int) {
	p.cur, p.step, p.started, p.err = l, step, false, nil
	p.status.SetText("")
	p.remember()
	p.render()
}

// begin loads the lesson's scenario and replays the steps before the
// current one.
func (p *Panel) begin() {
	if p.cur == nil || p.busy {
		return
	}
	p.busy, p.err = true, nil
	w := p.host.Workload(p.cur)
	p.status.SetText("Loading " + w + "…")
	target := p.step
	p.host.Load(w, func(err error) {
		if err != nil {
			p.fail(err)
			return
		}
		p.replay(0, target)
	})
}

// replay runs the actions of steps i..to-1 one after another, then shows
// step to.
func (p *Panel) replay(i, to int) {
	if i >= to {
		p.busy, p.started = false, true
		p.enter(to)
		return
	}
	st := p.cur.Steps[i]
	if st.Do == nil {
		p.replay(i+1, to)
		return
	}
	p.act(st.Do, func(err error) {
		if err != nil {
			p.fail(err)
			return
		}
		p.replay(i+1, to)
	})
}

// act runs an action: load first (a new target), then the rest.
func (p *Panel) act(a *lesson.Action, done func(error)) {
	rest := func(err error) {
		if err != nil || (a.Step == 0 && a.RunFor == nil && a.RunTo == nil && a.RunUntil == nil && !a.RunToEnd) {
			done(err)
			return
		}
		p.host.Advance(a, done)
	}
	if a.Load != "" {
		p.host.Load(a.Load, rest)
		return
	}
	rest(nil)
}

func (p *Panel) fail(err error) {
	p.busy, p.err = false, err
	p.status.SetText("Error: " + err.Error())
	p.render()
}

// enter shows step i of the started lesson.
func (p *Panel) enter(i int) {
	p.step, p.reveal, p.hints, p.err = i, nil, 0, nil
	st := p.cur.Steps[i]
	p.acted = st.Do == nil && st.Predict == nil
	p.from = p.host.Model().Len()
	p.status.SetText("")
	p.remember()
	p.render()
}

// goTo moves to step i: forward (allowed once this step has run) shows
// the next step, whose action the student then runs; back starts over and
// replays the steps before i.
func (p *Panel) goTo(i int) {
	if p.cur == nil || p.busy || i < 0 || i >= len(p.cur.Steps) {
		return
	}
	if p.started && i > p.step {
		p.enter(i)
		return
	}
	p.step, p.started = i, false
	p.remember()
	p.begin()
}

// run runs the current step's action (guess is the prediction, or nil).
func (p *Panel) run(guess []string) {
	st := p.cur.Steps[p.step]
	if p.busy || p.acted {
		return
	}
	p.busy = true
	p.from = p.host.Model().Len()
	finish := func(err error) {
		p.busy, p.acted, p.err = false, true, err
		if err != nil {
			p.status.SetText("Error: " + err.Error())
		}
		if st.Predict != nil {
			p.reveal = st.Predict.Reveal(st.Predict.Observe(p.host.Model(), p.from), guess)
			p.asked++
			if p.reveal.Correct {
				p.score++
			}
		}
		p.render()
	}
	if st.Do == nil {
		finish(nil)
		return
	}
	p.act(st.Do, func(err error) {
		if st.Do.Load != "" && err == nil {
			p.from = 0
		}
		finish(err)
	})
}

func (p *Panel) showHint() {
	if p.cur != nil && p.started && p.hints < len(p.cur.Steps[p.step].Hints) {
		p.hints++
		p.render()
	}
}

func (p *Panel) remember() {
	if p.cur != nil {
		p.store.SetString(KeyLesson, p.cur.Name)
		p.store.SetString(KeyStep, strconv.Itoa(p.step))
	}
}

// Refresh re-evaluates the checks on the model (call it after every model
// change; UI goroutine).
func (p *Panel) Refresh() {
	if p.cur != nil && p.started && p.acted && !p.busy {
		p.evaluate()
		p.drawChecks()
		p.writeState()
	}
}

func (p *Panel) evaluate() {
	st := p.cur.Steps[p.step]
	m := p.host.Model()
	p.results = p.results[:0]
	for _, c := range st.Checks {
		p.results = append(p.results, c.Eval(m))
	}
}

// Passed reports whether the current step's checks all hold.
func (p *Panel) Passed() bool {
	if p.cur == nil || !p.started || !p.acted || p.err != nil {
		return false
	}
	for _, r := range p.results {
		if !r.OK {
			return false
		}
	}
	return p.reveal == nil || p.reveal.Holds
}

// render rebuilds the panel for the current lesson and step.
func (p *Panel) render() {
	if p.cur == nil {
		p.writeState()
		return
	}
	l := p.cur
	p.title.SetText(l.Title)
	p.progress.SetText(fmt.Sprintf("Step %d of %d: %s", p.step+1, len(l.Steps), l.Steps[p.step].Title))
	md := l.Steps[p.step].Text
	if !p.started {
		md = l.Intro
		p.start.Show()
		if p.step > 0 {
			p.start.SetText(fmt.Sprintf("Resume at step %d", p.step+1))
		} else {
			p.start.SetText("Start the lesson")
		}
	} else {
		p.start.Hide()
	}
	p.text.ParseMarkdown(md)
	p.drawPredict()
	if p.started && p.acted {
		p.evaluate()
	} else {
		p.results = p.results[:0]
	}
	p.drawChecks()
	hs := l.Steps[p.step].Hints
	if p.started && p.hints > 0 {
		p.hintText.SetText("Hint: " + strings.Join(hs[:p.hints], "\nHint: "))
	} else {
		p.hintText.SetText("")
	}
	enable(p.hintBtn, p.started && p.hints < len(hs))
	enable(p.prev, p.started && p.step > 0 && !p.busy)
	enable(p.next, p.started && p.acted && p.step+1 < len(l.Steps) && !p.busy)
	if p.started && p.Passed() && p.step+1 == len(l.Steps) {
		p.status.SetText(fmt.Sprintf("Lesson complete. Predictions: %d of %d right.", p.score, p.asked))
	}
	p.writeState()
	if p.OnLayout != nil {
		p.OnLayout()
	}
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}
