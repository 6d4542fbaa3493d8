package function

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// dieWithParent has the kernel kill the process when durable-local ends,
// however it ends (SIGKILL, a crash), instead of leaving it running,
// busy in an invocation that no one waits for.
func dieWithParent(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

// start starts cmd. Linux sends Pdeathsig when the thread that started
// the process ends, not the process: a Go program's threads come and go
// (one locked by a goroutine that returns is ended), so every process is
// started from one thread that stays for as long as durable-local runs.
func start(cmd *exec.Cmd) error {
	done := make(chan error)
	starter() <- func() { done <- cmd.Start() }
	return <-done
}

var starter = sync.OnceValue(func() chan<- func() {
	starts := make(chan func())
	go func() {
		// Never unlocked: the goroutine, and with it its thread, stays.
		runtime.LockOSThread()
		for f := range starts {
			f()
		}
	}()
	return starts
})
