package durabletest

import (
	"context"
	"errors"
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
	done := runHost(ctx, h)
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

// Run drives the Host alone: a second Run while one is running would
// pop the same queue and skip time while the first has an invocation in
// flight, so it fails with ErrBusy; once the first has returned, Run may
// be called again.
func TestHostRunRefusesASecondConcurrentRun(t *testing.T) {
	h := NewHost(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := runHost(ctx, h)
	second, cancelSecond := context.WithCancel(context.Background())
	cancelSecond()
	if err := h.Run(second); !errors.Is(err, ErrBusy) {
		t.Errorf("a second Run while one runs = %v, want ErrBusy", err)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run: %v, want context.Canceled", err)
	}
	if err := h.Run(second); err != context.Canceled {
		t.Errorf("Run after the first returned = %v, want context.Canceled", err)
	}
}

// runHost starts h.Run(ctx) and returns once its loop has passed, with
// the channel that receives what Run returns.
func runHost(ctx context.Context, h *Host) <-chan error {
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	for h.loops.Load() == 0 {
		runtime.Gosched()
	}
	return done
}
