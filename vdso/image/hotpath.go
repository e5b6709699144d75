package image

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
)

// HotPathVar is the variable in package sched (test files included)
// that lists the scheduler functions compiled into the vDSO; package
// vdso has one for its clock code. The scheduler's own rules test checks
// the same list at the source level; the image takes its functions from
// there, so the list is the one place that decides what the vDSO
// carries.
const HotPathVar = "hotPath"

// SchedPkg is the scheduler's import path; UintrPkg holds the
// user-interrupt handler's drain and wake code, which runs on the
// scheduler's Local.
const (
	SchedPkg = "copslab/sched"
	UintrPkg = "copslab/uintr"
)

// ExportPkgs are the packages whose hot-path lists the image exports by
// default (with SchedVersion).
var ExportPkgs = []string{SchedPkg, UintrPkg}

// ReadHotPath returns the names in the []string literal assigned to
// HotPathVar in the Go files of dir (sched's directory).
func ReadHotPath(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("vdso: %v", err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != HotPathVar || i >= len(vs.Values) {
						continue
					}
					return stringList(fset, vs.Values[i])
				}
			}
		}
	}
	return nil, fmt.Errorf("vdso: no var %s in %s", HotPathVar, dir)
}

func stringList(fset *token.FileSet, e ast.Expr) ([]string, error) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Errorf("vdso: %s: %s is not a []string literal", fset.Position(e.Pos()), HotPathVar)
	}
	var names []string
	for _, el := range cl.Elts {
		bl, ok := el.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return nil, fmt.Errorf("vdso: %s: %s holds a non-literal element", fset.Position(el.Pos()), HotPathVar)
		}
		s, err := strconv.Unquote(bl.Value)
		if err != nil {
			return nil, err
		}
		names = append(names, s)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("vdso: %s is empty", HotPathVar)
	}
	return names, nil
}
