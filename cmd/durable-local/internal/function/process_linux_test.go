package function_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/function"
)

// When durable-local dies without a chance to stop its function processes
// (SIGKILL, a crash), a function busy in an invocation dies with it, and
// so does what that function started: nothing is left running.
func TestFunctionDiesWithDurableLocal(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FUNCTION_TEST=owner")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	pids := make(chan [2]int, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			var p [2]int
			if _, err := fmt.Sscanf(lines.Text(), "pids %d %d", &p[0], &p[1]); err == nil {
				pids <- p
			}
		}
	}()
	var p [2]int
	select {
	case p = <-pids:
	case <-time.After(time.Minute):
		t.Fatal("the function never got to its invocation")
	}
	for _, pid := range p {
		t.Cleanup(func() {
			if alive(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		})
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, name := range []string{"the function process", "the process the function started"} {
		for alive(p[i]) {
			select {
			case <-ctx.Done():
				t.Fatalf("%s (pid %d) still runs after durable-local was killed", name, p[i])
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

// alive reports whether process pid exists and is not a zombie (a process
// that ended and that no one has reaped yet).
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state ...
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// detach starts cmd in a session of its own, out of its parent's process
// group.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// A process that crashes leaving behind a process that left the
// sandbox's process group, holding the process's stdout and stderr, ends
// its invocation like any crash, instead of it waiting for the end of an
// output that the escaped process keeps open.
func TestCrashLeavingAnEscapedChildBehind(t *testing.T) {
	var escaped int
	f, lines := newFunction(t, 20*time.Second)
	t.Cleanup(func() {
		for _, l := range lines() {
			if _, err := fmt.Sscanf(l.text, "escaped pid %d", &escaped); err == nil {
				_ = syscall.Kill(escaped, syscall.SIGKILL)
			}
		}
	})
	done := make(chan error, 1)
	go func() {
		_, err := invoke(f, "req-1", "crash-leaving-an-escaped-child")
		done <- err
	}()
	select {
	case err := <-done:
		var exit *function.ExitError
		if !errors.As(err, &exit) || exit.ExitCode != 3 || !strings.Contains(exit.Output, "leaving a child behind") {
			t.Fatalf("got %v, want the crash's ExitError", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the invocation did not end after the crash")
	}
	if out, err := invoke(f, "req-2", "echo"); err != nil || !strings.HasPrefix(out, "pid") {
		t.Fatalf("after the crash: %q, %v", out, err)
	}
}
