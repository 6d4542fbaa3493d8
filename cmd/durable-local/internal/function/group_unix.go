//go:build unix

package function

import (
	"os"
	"os/exec"
	"syscall"
)

// ownGroup starts the process in a process group of its own: the
// sandbox, whose every process killGroup ends.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
}

// killGroup kills the process and every process it started, as Lambda
// resets the whole sandbox.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// watchGroup starts a watcher in the process group of cmd, the sandbox:
// a shell blocked reading a pipe whose only writer is durable-local. When
// durable-local ends in any way (SIGKILL, a crash: the kernel closes the
// pipe) or calls the returned stop, the read returns and the watcher
// kills the whole group, so the function's own processes do not outlive
// durable-local either. (The function process itself also dies with
// durable-local through dieWithParent where the system has it.) Best
// effort: without /bin/sh, or when the group is already gone, there is no
// watcher and stop does nothing more than release the pipe.
func watchGroup(cmd *exec.Cmd) (stop func()) {
	r, w, err := os.Pipe()
	if err != nil {
		return func() {}
	}
	defer r.Close()
	watcher := exec.Command("/bin/sh", "-c", "read line; kill -s KILL 0")
	watcher.Stdin = r
	watcher.Env = []string{}
	watcher.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: cmd.Process.Pid}
	if err := start(watcher); err != nil {
		w.Close()
		return func() {}
	}
	go func() { _ = watcher.Wait() }()
	return func() { w.Close() }
}
