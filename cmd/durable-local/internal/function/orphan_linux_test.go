package function_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
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
