package uabi

import "strings"

// The environment's word syntax, shared by the kernel (its run command
// and boot mode) and the user shell (kernel/user/sh).

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
