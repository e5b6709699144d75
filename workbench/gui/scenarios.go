package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"copslab/workbench/target"
)

// The scenario chooser is a button naming the current scenario; it opens
// a menu with one line per built-in scenario, "name — description", as
// wide as its longest line (a Select would cut names and descriptions
// to its own width). The run's summary (target.Summarizer) appears in
// the Summary tab, which is brought to the front when a run ends.

// scenarioButton builds the chooser; the Select-like API (SetSelected)
// keeps callers simple.
type scenarioButton struct {
	*widget.Button
	current string
	pick    func(name string)
}

func newScenarioButton(pick func(name string)) *scenarioButton {
	s := &scenarioButton{pick: pick}
	s.Button = widget.NewButtonWithIcon("scenario", theme.MenuDropDownIcon(), s.open)
	s.IconPlacement = widget.ButtonIconTrailingText
	return s
}

// ScenarioMenuItems returns the menu lines, in the order of
// target.Scenarios.
func ScenarioMenuItems() []string {
	var out []string
	for _, n := range target.Scenarios() {
		line := n
		if d := target.ScenarioDescription(n); d != "" {
			line += " — " + d
		}
		out = append(out, line)
	}
	return out
}

func (s *scenarioButton) menu() *fyne.Menu {
	var items []*fyne.MenuItem
	lines := ScenarioMenuItems()
	for i, n := range target.Scenarios() {
		items = append(items, fyne.NewMenuItem(lines[i], func() { s.SetSelected(n) }))
	}
	return fyne.NewMenu("", items...)
}

func (s *scenarioButton) open() {
	c := fyne.CurrentApp().Driver().CanvasForObject(s.Button)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.Button)
	widget.ShowPopUpMenuAtPosition(s.menu(), c, pos.AddXY(0, s.Size().Height))
}

// SetSelected shows name as the current scenario and reports the choice.
func (s *scenarioButton) SetSelected(name string) {
	s.current = name
	s.SetText("scenario: " + name)
	if s.pick != nil {
		s.pick(name)
	}
}

// summaryTab is the tab that shows the finished run's summary tables.
type summaryTab struct {
	text  *widget.Label
	shown string
	item  *container.TabItem
}

func newSummaryTab() *summaryTab {
	t := &summaryTab{text: widget.NewLabel("The run's summary appears here when it ends.")}
	t.text.TextStyle = fyne.TextStyle{Monospace: true}
	t.item = container.NewTabItem("Summary", container.NewScroll(t.text))
	return t
}

// show updates the tab from the controller's summary; a new summary
// brings the tab to the front.
func (t *summaryTab) show(summary string, tabs *container.AppTabs) {
	if summary == t.shown {
		return
	}
	t.shown = summary
	if summary == "" {
		t.text.SetText("The run's summary appears here when it ends.")
		return
	}
	t.text.SetText(summary)
	tabs.Select(t.item)
}
