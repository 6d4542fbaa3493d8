//go:build !linux

package function

import "os/exec"

// start starts cmd. Only Linux has Pdeathsig; elsewhere watchGroup alone
// ends a sandbox whose durable-local has ended.
func start(cmd *exec.Cmd) error { return cmd.Start() }
