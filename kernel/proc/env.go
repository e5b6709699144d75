package proc

import "strings"

// StartEnv is the environment of the programs the kernel starts (run,
// runall, each, init): what a login shell would give them, so that
// os.Getenv("PATH"), os.UserHomeDir and terminal-aware programs work.
// Processes started by execve get the environment their parent passes.
var StartEnv = []string{"PATH=/bin", "HOME=/", "TERM=vt100", "USER=root", "LOGNAME=root", "SHELL=/bin/sh"}

// Environ is StartEnv with vars (NAME=value) set on top: a name already
// there takes the new value in its place, a new one is appended, and a
// later assignment of the same name wins.
func Environ(vars []string) []string {
	env := append([]string(nil), StartEnv...)
	for _, v := range vars {
		name, _, _ := strings.Cut(v, "=")
		i := 0
		for i < len(env) && !strings.HasPrefix(env[i], name+"=") {
			i++
		}
		if i == len(env) {
			env = append(env, v)
		} else {
			env[i] = v
		}
	}
	return env
}
