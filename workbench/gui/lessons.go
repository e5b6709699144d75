package gui

import (
	"io/fs"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"copslab/lessons"
	"copslab/workbench/gui/lessonpanel"
	"copslab/workbench/lesson"
	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// LessonsDir is the lessons folder the window offers; when it does not
// exist, the lessons built into copslab. The gui command sets it from the
// configuration (lessons.dir).
var LessonsDir = "lessons"

// lessonHost runs the panel's lessons through the controller.
type lessonHost struct {
	w   *Workbench
	env *lesson.Env
}

func (h lessonHost) Model() *model.Model { return h.w.C.M }

func (h lessonHost) Workload(l *lesson.Lesson) string { return h.env.Workload(l) }

func (h lessonHost) Load(ref string, done func(error)) {
	h.w.C.SwitchThen(func() (target.Target, error) { return h.env.Open(ref) }, done)
}

func (h lessonHost) Advance(a *lesson.Action, done func(error)) {
	h.w.C.Do(func(d *session.Driver) (session.Batch, error) { return a.Advance(d) }, done)
}

// Lessons returns the lesson side panel (nil for a recording).
func (w *Workbench) Lessons() *lessonpanel.Panel { return w.lessons }

// loadLessons reads the lessons folder (or the built-in lessons) and
// keeps those that run on the window's target t: on a kernel QEMU
// launched, the kernel lessons, booted with the same ELF and board; else
// the sandbox lessons. A malformed lesson is logged and left out; the
// others are offered.
func loadLessons(t target.Target) (*lesson.Env, []*lesson.Lesson) {
	var fsys fs.FS = lessons.FS
	dir := "(built in)"
	if st, err := os.Stat(LessonsDir); err == nil && st.IsDir() {
		fsys, dir = os.DirFS(LessonsDir), LessonsDir
	}
	all, err := lesson.Load(fsys, dir)
	if err != nil {
		fyne.LogError("lessons", err)
	}
	env := &lesson.Env{FS: fsys}
	if q, ok := t.(interface{ QEMUOptions() target.QEMUOptions }); ok {
		if o := q.QEMUOptions(); o.Attach == "" { // an attached kernel cannot be booted again from here
			env.Target, env.Kernel, env.Board, env.QEMU = "qemu", o.Kernel, o.Board, o.QEMU
		}
	}
	var ls []*lesson.Lesson
	for _, l := range all {
		if env.Workload(l) != "" {
			ls = append(ls, l)
		}
	}
	return env, ls
}

// memStore is a Store for windows without an app (tests).
type memStore map[string]string

func (s memStore) String(k string) string { return s[k] }
func (s memStore) SetString(k, v string)  { s[k] = v }

// newLessonPanel builds the side panel for a window with target t.
func (w *Workbench) newLessonPanel(t target.Target) *lessonpanel.Panel {
	env, ls := loadLessons(t)
	p := lessonpanel.New(lessonHost{w, env}, memStore{}, ls)
	p.StatePath = os.Getenv("COPSLAB_LESSON_STATE")
	return p
}

// rewriteUIMapSoon rewrites the UI map after the next layout, when the
// panel's controls have changed (COPSLAB_UI_MAP).
func (w *Workbench) rewriteUIMapSoon(c fyne.Canvas, path string) {
	go func() {
		time.Sleep(400 * time.Millisecond)
		w.C.post(func() {
			if err := w.writeUIMap(c, path); err != nil {
				fyne.LogError("ui map", err)
			}
		})
	}()
}
