package durableotel_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// panickingExporter panics on every export once armed, after signalling
// the first panic on panicked.
type panickingExporter struct {
	armed    atomic.Bool
	once     sync.Once
	panicked chan struct{}
}

func newPanickingExporter(armed bool) *panickingExporter {
	e := &panickingExporter{panicked: make(chan struct{})}
	e.armed.Store(armed)
	return e
}

func (e *panickingExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error {
	if e.armed.Load() {
		e.once.Do(func() { close(e.panicked) })
		panic("exporter bug")
	}
	return nil
}

func (e *panickingExporter) Shutdown(context.Context) error { return nil }

// retriedOnce is a step that fails its first attempt and is retried.
func retriedOnce(ctx *durable.Context, _ any) (int, error) {
	return durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
		if sc.Attempt() == 1 {
			return 0, errors.New("transient")
		}
		return 2, nil
	}, durable.WithRetryStrategy(func(_ error, n int) durable.RetryDecision {
		return durable.RetryDecision{ShouldRetry: n < 2, Delay: time.Second}
	}))
}

// A span exporter that panics (called synchronously, by a syncer, when a
// span ends) must not hang the function: the hooks' panics are recovered
// by core, and the plugin must not leave its state locked when one
// happens, here while it ends the retried attempt's span.
func TestPanickingExporterDoesNotHangTheFunction(t *testing.T) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
		sdktrace.WithSyncer(newPanickingExporter(true)))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	fn := durable.Handler(retriedOnce, durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp))))

	type result struct {
		status string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
		done <- result{exec.Status(), err}
	}()
	select {
	case r := <-done:
		if r.err != nil || r.status != durabletest.ExecutionSucceeded {
			t.Fatalf("run: %v %s, want SUCCEEDED whatever the exporter does", r.err, r.status)
		}
	case <-time.After(20 * time.Second): // a deadlock, not a slow run: the run takes milliseconds
		t.Fatal("the function hung after the exporter panicked")
	}
}

// The deadline guard ends spans on a timer goroutine of its own: a
// panicking exporter there must not take the process down (no hook
// recovery runs on that goroutine); the step goes on after it.
func TestPanickingExporterAtTheDeadline(t *testing.T) {
	exp := newPanickingExporter(false)
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)), sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	guarded := false
	fn := durable.Handler(stuckRetry(func() { exp.armed.Store(true) }, exp.panicked, &guarded),
		durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp))))
	runToDeadline(t, fn)
	if !guarded {
		t.Fatal("the guard did not end the running attempt's span")
	}
}
