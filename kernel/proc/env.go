package proc

// StartEnv is the environment of the programs the kernel starts (run,
// runall, each, init): what a login shell would give them, so that
// os.Getenv("PATH"), os.UserHomeDir and terminal-aware programs work.
// Processes started by execve get the environment their parent passes.
var StartEnv = []string{"PATH=/bin", "HOME=/", "TERM=vt100", "USER=root", "LOGNAME=root", "SHELL=/bin/sh"}
