package proc

import (
	"fmt"
	"testing"
)

func TestEnviron(t *testing.T) {
	env := Environ([]string{"GREETING=hi", "HOME=/tmp", "GREETING=hello"})
	want := append([]string(nil), StartEnv...)
	want[1] = "HOME=/tmp"
	want = append(want, "GREETING=hello")
	if fmt.Sprint(env) != fmt.Sprint(want) {
		t.Errorf("Environ = %v, want %v", env, want)
	}
	if StartEnv[1] != "HOME=/" {
		t.Errorf("Environ changed StartEnv: %v", StartEnv)
	}
}
