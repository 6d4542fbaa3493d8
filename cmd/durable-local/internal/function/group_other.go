//go:build !unix

package function

import "os/exec"

func ownGroup(*exec.Cmd) {}

// killGroup kills the process (its own processes are left running).
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// watchGroup does nothing: there are no process groups to watch.
func watchGroup(*exec.Cmd) (stop func()) { return func() {} }
