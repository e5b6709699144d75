package lesson

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Load parses every *.md file at the top of fsys except README.md, sorted
// by their order, then name. Every malformed lesson is reported (joined
// errors naming file and line); the good ones are still returned.
func Load(fsys fs.FS, dir string) ([]*Lesson, error) {
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []*Lesson
	var errs []error
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || e.IsDir() || strings.EqualFold(e.Name(), "README.md") {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		file := e.Name()
		if dir != "" {
			file = strings.TrimSuffix(dir, "/") + "/" + file
		}
		l, err := Parse(data, file, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Name < out[j].Name
	})
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("no lessons (*.md) in %s", dir))
	}
	return out, errors.Join(errs...)
}
