package durabletest_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
)

// handlerFunc is a Handler from a function.
type handlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// A handler that never returns and ignores its context does not hang the
// test: when the context passed to Run ends, Run returns an error that
// wraps the context's and says the invocation is still running; the
// invocation is recorded as crashed, and what the handler returns later
// is ignored. Once the handler does return, no goroutine is left behind.
func TestRunReturnsWhenItsContextEndsDuringAStuckInvocation(t *testing.T) {
	before := runtime.NumGoroutine()
	entered, release := make(chan struct{}), make(chan struct{})
	r := durabletest.NewRunner(handlerFunc(func(context.Context, []byte) ([]byte, error) {
		close(entered)
		<-release // ignores its context
		return []byte(`{"Status":"SUCCEEDED","Result":"\"late\""}`), nil
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-entered
		cancel()
	}()
	e, err := r.Run(ctx, nil)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "still running") {
		t.Fatalf("Run = %v, want an error wrapping context.Canceled that says the invocation is still running", err)
	}
	if e == nil {
		t.Fatal("Run returned no execution")
	}
	if invs := e.Invocations(); len(invs) != 1 || !invs[0].Crashed() {
		t.Errorf("invocations %+v, want one, crashed", invs)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second) // a bound for the poll, not a measurement
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the handler returned, %d before", n, before)
	}
	if got := e.Status(); got != durabletest.ExecutionRunning {
		t.Errorf("status %s after the abandoned handler returned, want RUNNING: its late output must be ignored", got)
	}
}
