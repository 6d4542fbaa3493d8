package durableotel_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
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

// stuckRetry is a handler whose step fails its first attempt (so that
// the second has a live span) and, at the second, calls arm, then waits
// for release: a dependency that answers only then (or after 10 s).
// released says whether it did.
func stuckRetry(arm func(), release <-chan struct{}, released *bool) func(*durable.Context, any) (int, error) {
	return func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "slow", func(sc *durable.StepContext) (int, error) {
			if sc.Attempt() == 1 {
				return 0, errors.New("retry me")
			}
			arm()
			select {
			case <-release:
				*released = true
			case <-time.After(10 * time.Second):
			}
			return 1, nil
		}, durable.WithRetryStrategy(func(error, int) durable.RetryDecision {
			return durable.RetryDecision{ShouldRetry: true, Delay: time.Second}
		}))
	}
}

// runToDeadline runs fn's first invocation, then its second one, a
// second later, with a deadline 1.5 s away: the plugin's deadline guard
// fires during it, after 1 s.
func runToDeadline(t *testing.T, fn *durable.Function) {
	t.Helper()
	exec, err := durabletest.NewRunner(fn, durabletest.WithMaxInvocations(3)).Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_ = exec.Advance(ctx, time.Second)
}

// An invocation whose user code is still running shortly before Lambda's
// deadline (Lambda would stop it there, before the handler returns) still
// has its span: ended with an error and exported, and its running attempt's
// span too.
func TestInvocationSpanEndsBeforeTheDeadline(t *testing.T) {
	exporter := &signalExporter{InMemoryExporter: tracetest.NewInMemoryExporter(), seen: make(chan struct{})}
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)), sdktrace.WithSyncer(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	// The second invocation, the retry, gets a deadline: its step is stuck
	// until the guard has ended and exported the invocation span.
	stuck := false
	fn := durable.Handler(stuckRetry(func() {}, exporter.seen, &stuck),
		durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp))))
	runToDeadline(t, fn)
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

// Every invocation has an ended span, whether it suspended, failed with a
// Lambda error (here a crash: the service refuses its checkpoints and
// re-invokes) or ended the execution, and the execution has one.
func TestEveryInvocationHasItsSpan(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		if _, err := durable.Step(ctx, "a", func(*durable.StepContext) (int, error) { return 1, nil }); err != nil {
			return 0, err
		}
		if err := durable.Wait(ctx, "w", time.Second); err != nil {
			return 0, err
		}
		return durable.Step(ctx, "b", func(*durable.StepContext) (int, error) { return 2, nil })
	}, tel.options()...)
	crash := durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool { return inv == 2 && u.Name == "b" })
	exec, err := durabletest.NewRunner(fn, crash).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("run: %v %s", err, exec.Status())
	}
	invs := exec.Invocations()
	if len(invs) != 3 || !invs[1].Crashed() {
		t.Fatalf("invocations %+v, want 3, the second crashed", invs)
	}
	var spans, failed, execs int
	for _, s := range tel.spans.GetSpans() {
		switch s.Name {
		case "durable invocation":
			spans++
			if s.Status.Code == codes.Error {
				failed++
			}
		case "durable execution":
			execs++
		}
	}
	if spans != len(invs) || failed != 1 || execs != 1 {
		t.Errorf("%d invocation spans (%d with error status) and %d execution spans, want %d (1) and 1", spans, failed, execs, len(invs))
	}
}

// guardExporter captures the metrics exported while armed, once.
type guardExporter struct {
	countingExporter
	t        *testing.T
	armed    atomic.Bool
	once     sync.Once
	exported chan struct{}
	attempts float64 // durable.step.attempts of step "a"
	invs     float64 // durable.invocations
}

func (e *guardExporter) Export(_ context.Context, rm *metricdata.ResourceMetrics) error {
	if e.armed.Load() {
		e.once.Do(func() {
			e.attempts, _ = sum(e.t, *rm, durableotel.MetricAttempts, durableotel.KeyOperationName.String("a"))
			e.invs, _ = sum(e.t, *rm, durableotel.MetricInvocations)
			close(e.exported)
		})
	}
	return nil
}

// What an invocation cut by its deadline counted before it is exported
// by the guard's flush, as Lambda may stop the invocation right after:
// the invocation itself and the attempts that ended in it.
func TestInvocationMetricsExportedBeforeTheDeadline(t *testing.T) {
	exp := &guardExporter{t: t, exported: make(chan struct{})}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(time.Hour))))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		if err := durable.Wait(ctx, "w", time.Second); err != nil {
			return 0, err
		}
		if _, err := durable.Step(ctx, "a", func(*durable.StepContext) (int, error) { return 1, nil }); err != nil {
			return 0, err
		}
		return durable.Step(ctx, "slow", func(sc *durable.StepContext) (int, error) {
			exp.armed.Store(true)
			select { // a dependency that answers only after the guard's flush
			case <-exp.exported:
			case <-time.After(10 * time.Second):
			}
			return 1, nil
		})
	}, durable.WithPlugins(durableotel.New(durableotel.WithMeterProvider(mp))))

	runToDeadline(t, fn) // the second invocation, after the wait, has a deadline
	select {
	case <-exp.exported:
	default:
		t.Fatal("no metrics were exported while the step was still running")
	}
	if exp.attempts != 1 || exp.invs != 2 {
		t.Errorf("exported at the deadline: %v attempts of step a and %v invocations, want 1 and 2", exp.attempts, exp.invs)
	}
}

// deadlineExporter records the deadline of each export's context.
type deadlineExporter struct {
	*tracetest.InMemoryExporter
	mu        sync.Mutex
	deadlines []time.Time
}

func (e *deadlineExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	d, _ := ctx.Deadline()
	e.mu.Lock()
	e.deadlines = append(e.deadlines, d)
	e.mu.Unlock()
	return e.InMemoryExporter.ExportSpans(ctx, spans)
}

// The flush at the end of an invocation must leave the invocation time to
// return its output before Lambda's deadline: an exporter that cannot
// reach its collector would otherwise hold every invocation until Lambda
// stops it, its output lost, and the execution would never progress.
func TestFlushLeavesTimeBeforeTheDeadline(t *testing.T) {
	exp := &deadlineExporter{InMemoryExporter: tracetest.NewInMemoryExporter()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Hour)))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	fn := durable.Handler(oneStep, durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp))))

	deadline := time.Now().Add(10 * time.Second) // a timeout shorter than the batcher's export timeout (30 s)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if _, err := durabletest.NewRunner(fn).Run(ctx, nil); err != nil {
		t.Fatal(err)
	}
	exp.mu.Lock()
	defer exp.mu.Unlock()
	if len(exp.deadlines) == 0 {
		t.Fatal("nothing was exported at the invocation's end")
	}
	for _, d := range exp.deadlines {
		if d.IsZero() || !d.Before(deadline.Add(-100*time.Millisecond)) {
			t.Errorf("the flush may export until %v, the invocation's deadline is %v: want it to stop before, leaving time to return", d, deadline)
		}
	}
}
