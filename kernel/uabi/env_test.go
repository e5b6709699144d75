package uabi

import (
	"fmt"
	"strings"
	"testing"
)

func TestAssignments(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "[] []",
		"prog a=b":                 "[] [prog a=b]",
		"A=1 _b2=x prog arg":       "[A=1 _b2=x] [prog arg]",
		"A= prog":                  "[A=] [prog]",
		"A=1":                      "[A=1] []",
		"=x prog":                  "[] [=x prog]",
		"1A=x prog":                "[] [1A=x prog]",
		"A-B=x prog":               "[] [A-B=x prog]",
		"GREETING=hi=there osinfo": "[GREETING=hi=there] [osinfo]",
	} {
		vars, cmd := Assignments(strings.Fields(in))
		if got := fmt.Sprint(vars, cmd); got != want {
			t.Errorf("Assignments(%q) = %s, want %s", in, got, want)
		}
	}
}
