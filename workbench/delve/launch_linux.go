package delve

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes dlv exit when the workbench does.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
