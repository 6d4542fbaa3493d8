//go:build unix

package main

import (
	"bufio"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGTERM (what a CI runner, timeout(1) or docker stop sends) shuts serve
// down as an interrupt does: the function processes are stopped and the
// build directory removed, instead of the service dying and leaving them.
func TestServeShutsDownOnSIGTERM(t *testing.T) {
	// Keep the test binary alive if serve does not handle the signal.
	held := make(chan os.Signal, 1)
	signal.Notify(held, syscall.SIGTERM)
	defer signal.Stop(held)

	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "-addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "durable-local serving on") {
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("serve exited with status %d after SIGTERM, want 0", c)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down on SIGTERM")
	}
}
