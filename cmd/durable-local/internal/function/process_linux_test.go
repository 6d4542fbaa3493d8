package function_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// When durable-local dies without a chance to stop its function processes
// (SIGKILL, a crash), a function busy in an invocation dies with it, and
// so does what that function started: nothing is left running.
func TestFunctionDiesWithDurableLocal(t *testing.T) {
	pids := killOwnerDuring(t, "hang-with-child")
	waitGone(t, pids[0], "the function process")
	waitGone(t, pids[1], "the process the function started")
}

// A function process that left the sandbox's process group dies with
// durable-local all the same.
func TestFunctionOutOfItsGroupDiesWithDurableLocal(t *testing.T) {
	pids := killOwnerDuring(t, "hang-in-a-group-of-its-own")
	waitGone(t, pids[0], "the function process")
}

// killOwnerDuring starts a miniature durable-local (the owner mode of the
// test binary) running invocation do, which prints "pids" and the process
// ids to watch, SIGKILLs it, and returns those ids.
func killOwnerDuring(t *testing.T, do string) []int {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FUNCTION_TEST=owner", "OWNER_DO="+do)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan []int, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), "pids "); ok {
				var pids []int
				for _, f := range strings.Fields(rest) {
					pid, _ := strconv.Atoi(f)
					pids = append(pids, pid)
				}
				found <- pids
			}
		}
	}()
	var pids []int
	select {
	case pids = <-found:
	case <-time.After(time.Minute):
		t.Fatal("the function never got to its invocation")
	}
	for _, pid := range pids {
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
	return pids
}

// waitGone fails the test unless process pid is gone within 30 seconds.
func waitGone(t *testing.T, pid int, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for alive(pid) {
		select {
		case <-ctx.Done():
			t.Fatalf("%s (pid %d) still runs after durable-local was killed", name, pid)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// leaveGroup moves the process (the leader of the sandbox's group, so it
// cannot start a group of its own) into its parent's process group.
func leaveGroup() error {
	pgid, err := syscall.Getpgid(os.Getppid())
	if err != nil {
		return err
	}
	return syscall.Setpgid(0, pgid)
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
	wantCrashLeavingAChild(t, f, "crash-leaving-an-escaped-child")
}

// Linux sends a process's Pdeathsig when the thread that started it ends,
// and Go ends a thread whose goroutine exits locked to it: the function
// process outlives the thread of the invocation that started it.
func TestFunctionOutlivesTheThreadThatStartedIt(t *testing.T) {
	f, _ := newFunction(t, time.Minute)
	type started struct {
		out string
		err error
		tid int
	}
	first := make(chan started, 1)
	var invokeOnAThread func()
	invokeOnAThread = func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if syscall.Gettid() == os.Getpid() {
			// The main thread, which Go does not end: hold it while
			// another goroutine takes a thread of its own.
			done := make(chan struct{})
			go func() { invokeOnAThread(); close(done) }()
			<-done
			runtime.UnlockOSThread()
			return
		}
		out, err := invoke(f, "req-1", "echo")
		first <- started{out, err, syscall.Gettid()}
	}
	go invokeOnAThread()
	s := <-first
	if s.err != nil {
		t.Fatal(s.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		if _, err := os.Stat(fmt.Sprintf("/proc/self/task/%d", s.tid)); err != nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("thread %d did not end", s.tid)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if out, err := invoke(f, "req-2", "echo"); err != nil || out != s.out {
		t.Fatalf("after the thread ended: %q, %v; want the same warm process: %q", out, err, s.out)
	}
}
