package proc

import "strings"

// StartEnv is the environment of the programs the kernel starts (run,
// runall, each, init): what a login shell would give them, so that
// os.Getenv("PATH"), os.UserHomeDir and terminal-aware programs work.
// Processes started by execve get the environment their parent passes.
var StartEnv = []string{"PATH=/bin", "HOME=/", "TERM=vt100", "USER=root", "LOGNAME=root", "SHELL=/bin/sh"}

// Assignments splits a command line's leading NAME=value words (as a
// shell reads `GREETING=hi run prog`) from the command that follows.
// NAME is a letter or underscore, then letters, digits or underscores;
// the first word that is not such an assignment starts the command.
func Assignments(words []string) (vars, cmd []string) {
	i := 0
	for i < len(words) && isAssignment(words[i]) {
		i++
	}
	return words[:i], words[i:]
}

func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for i, r := range name {
		letter := r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

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
