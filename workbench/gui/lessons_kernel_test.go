package gui_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"copslab/lessons"
	"copslab/workbench/lesson"
)

// TestLessonPanelOnKernel: the window on the kernel offers the lessons
// that run on the kernel (and only those), and runs one there: lesson 13
// boots the kernel with its own command line, its first check holds on
// the first decision, and its second step (a prediction, then the run to
// power-off) passes on the events of the real kernel.
func TestLessonPanelOnKernel(t *testing.T) {
	u, _ := kernelUI(t, "run pipeping -n 5")
	p := u.Lessons()
	all, err := lesson.Load(lessons.FS, "(built in)")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range all {
		if l.Kernel != "" {
			want = append(want, l.Title)
		}
	}
	if got := p.Controls["lesson.pick"].(*widget.Select).Options; len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("the kernel window offers %q, want the kernel lessons %q", got, want)
	}
	if st := p.State(); st.Lesson != "13-kernel-threads" || st.Started {
		t.Fatalf("offered %+v", st)
	}
	u.tapPanel(t, p, "lesson.start")
	u.pumpFor(t, 2*time.Minute, func() bool { return p.State().Started || p.State().Error != "" })
	p.Refresh()
	if st := p.State(); !st.Passed || st.Error != "" {
		t.Fatalf("step 1: %+v", st)
	}
	if name := u.C.Name; name == "" || !strings.Contains(name, "run threads") {
		t.Errorf("the lesson runs on %q, want the kernel booted with its command line (run threads)", name)
	}
	u.tapPanel(t, p, "lesson.next")
	u.choose(t, p, "another thread's futex wake (recorded as its waker)")
	u.pumpFor(t, 3*time.Minute, func() bool { s := p.State(); return (s.Acted && !s.Busy) || s.Error != "" })
	if st := p.State(); !st.Passed || st.Score != 1 || st.Error != "" {
		t.Fatalf("step 2: %+v", st)
	}
}
