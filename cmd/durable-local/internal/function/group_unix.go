//go:build unix

package function

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the process in a process group of its own: the
// sandbox, whose every process killGroup ends.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the process and every process it started, as Lambda
// resets the whole sandbox.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
