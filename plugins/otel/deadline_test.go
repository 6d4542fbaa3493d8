package durableotel_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// signalExporter tells when the span of a later invocation is exported.
type signalExporter struct {
	*tracetest.InMemoryExporter
	once sync.Once
	seen chan struct{}
}

func (e *signalExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	for _, s := range spans {
		if s.Name() == "durable invocation" && slices.Contains(s.Attributes(), durableotel.KeyInvocationFirst.Bool(false)) {
			e.once.Do(func() { close(e.seen) })
		}
	}
	return e.InMemoryExporter.ExportSpans(ctx, spans)
}

// An invocation whose user code is still running shortly before Lambda's
// deadline (Lambda would stop it there, before the handler returns) still
// has its span: ended with an error and exported, and its running attempt's
// span too.
func TestInvocationSpanEndsBeforeTheDeadline(t *testing.T) {
	exporter := &signalExporter{InMemoryExporter: tracetest.NewInMemoryExporter(), seen: make(chan struct{})}
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)), sdktrace.WithSyncer(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	stuck := false
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "slow", func(sc *durable.StepContext) (int, error) {
			if sc.Attempt() == 1 {
				return 0, errors.New("retry me") // so that attempt 2 has a live span
			}
			select { // a dependency that does not answer before the deadline
			case <-exporter.seen:
				stuck = true
			case <-time.After(10 * time.Second):
			}
			return 1, nil
		}, durable.WithRetryStrategy(func(error, int) durable.RetryDecision {
			return durable.RetryDecision{ShouldRetry: true, Delay: time.Second}
		}))
	}, durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp))))

	exec, err := durabletest.NewRunner(fn, durabletest.WithMaxInvocations(3)).Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The second invocation, the retry, gets a deadline: its step is stuck
	// until the guard has ended and exported the invocation span.
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_ = exec.Advance(ctx, time.Second)
	if !stuck {
		t.Fatal("the invocation span was not exported while the step was still running")
	}
	// The first of each exported: the guard's, in the stuck invocation
	// (the runner re-invokes after it).
	var inv, attempt tracetest.SpanStub
	for _, s := range exporter.GetSpans() {
		switch {
		case inv.Name == "" && s.Name == "durable invocation" && !attr(s, durableotel.KeyInvocationFirst).AsBool():
			inv = s
		case attempt.Name == "" && s.Name == "Step slow attempt" && attr(s, durableotel.KeyAttempt).AsInt64() == 2:
			attempt = s
		}
	}
	if inv.Status.Code != codes.Error || !strings.Contains(inv.Status.Description, "deadline") {
		t.Errorf("invocation span status %+v, want an error about the deadline", inv.Status)
	}
	if attempt.Status.Code != codes.Error || attr(attempt, durableotel.KeyAttemptOutcome).AsString() != durableotel.OutcomeFailed {
		t.Errorf("running attempt's span: status %+v outcome %v, want ended failed by the deadline", attempt.Status, attr(attempt, durableotel.KeyAttemptOutcome))
	}
}
