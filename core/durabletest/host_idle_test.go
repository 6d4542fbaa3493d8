package durabletest

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// An idle Host waits: Run's loop passes only when something happens (a
// call, an invocation ending, a timer). It used to wake itself on every
// pass and keep a core busy while nothing ran.
func TestIdleHostRunWaits(t *testing.T) {
	h := NewHost(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	for h.loops.Load() == 0 {
		runtime.Gosched()
	}
	before := h.loops.Load()
	time.Sleep(50 * time.Millisecond) // room for a spinning loop to show; a waiting one does not pass
	if n := h.loops.Load() - before; n > 1 {
		t.Errorf("an idle Host's Run passed its loop %d times in 50 ms, want it waiting", n)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run: %v, want context.Canceled", err)
	}
}
