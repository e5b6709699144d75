package sandbox

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Scenarios holds the built-in scenario files (scenarios/*.yaml), for
// packages that want the raw files (lessons, the workbench's file list).
//
//go:embed scenarios/*.yaml
var Scenarios embed.FS

// BuiltinNames lists the built-in scenarios, sorted.
func BuiltinNames() []string {
	ents, _ := fs.ReadDir(Scenarios, "scenarios")
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Builtin parses the built-in scenario with the given name.
func Builtin(name string) (*Scenario, error) {
	data, err := Scenarios.ReadFile("scenarios/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no built-in scenario %q (have %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return ParseScenario(data, name)
}
