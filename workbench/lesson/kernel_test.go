package lesson_test

import (
	"os"
	"testing"

	"copslab/lessons"
	"copslab/workbench/internal/testkernel"
	"copslab/workbench/lesson"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkernel.Cleanup()
	os.Exit(code)
}

// TestLessonsOnTheKernel runs every lesson that names a kernel command
// line on the real kernel in QEMU (the lessons' checks read the same
// model, fed from the kernel's trace ring); the others report that they
// do not run there.
func TestLessonsOnTheKernel(t *testing.T) {
	testkernel.Board(t) // skips without QEMU or with -short
	env := &lesson.Env{FS: lessons.FS, Target: "qemu", Kernel: testkernel.Build(t), Board: testkernel.BoardPath()}
	if err := env.Available(); err != nil {
		t.Fatal(err)
	}
	ls, err := lesson.Load(lessons.FS, "lessons")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, l := range ls {
		r := env.Run(l)
		if l.Kernel == "" {
			if r.Skipped == "" {
				t.Errorf("%s: a sandbox lesson ran on the kernel", l.Name)
			}
			continue
		}
		ran++
		if r.Error != "" || !r.Passed {
			for _, s := range r.Steps {
				for _, c := range s.Checks {
					if !c.OK {
						t.Errorf("%s step %d: %s: got %s", l.Name, s.Step, c.Check, c.Got)
					}
				}
				if s.Error != "" {
					t.Errorf("%s step %d: %s", l.Name, s.Step, s.Error)
				}
			}
			t.Fatalf("%s failed on the kernel: %s", l.Name, r.Error)
		}
	}
	if ran == 0 {
		t.Fatal("no lesson runs on the kernel")
	}
}
