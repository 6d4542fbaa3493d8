package durableotel_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// checkTree checks that spans form one tree: one trace, no span id twice,
// every parent exported, one root. It returns the spans by name (the last
// of each name).
func checkTree(t *testing.T, spans tracetest.SpanStubs) map[string]tracetest.SpanStub {
	t.Helper()
	byID := map[trace.SpanID]tracetest.SpanStub{}
	byName := map[string]tracetest.SpanStub{}
	traces := map[trace.TraceID]bool{}
	for _, s := range spans {
		if _, dup := byID[s.SpanContext.SpanID()]; dup {
			t.Errorf("span id %s used twice (%q)", s.SpanContext.SpanID(), s.Name)
		}
		byID[s.SpanContext.SpanID()] = s
		byName[s.Name] = s
		traces[s.SpanContext.TraceID()] = true
	}
	roots := 0
	for _, s := range spans {
		if !s.Parent.IsValid() {
			roots++
		} else if _, ok := byID[s.Parent.SpanID()]; !ok {
			t.Errorf("span %q has parent %s, which was not exported", s.Name, s.Parent.SpanID())
		}
	}
	if len(traces) != 1 || roots != 1 {
		t.Errorf("%d traces and %d roots, want 1 and 1", len(traces), roots)
	}
	return byName
}

// checkOperationSpans checks the span of each operation but the first
// (the EXECUTION) in byOp (by operation id): under its parent operation's
// span (the execution span at the top), from its START to its end as
// recorded, with attributes describing it, error status when it did not
// succeed; and no span for an operation that is not there.
func checkOperationSpans(t *testing.T, ops []protocol.Operation, byOp map[string]tracetest.SpanStub, execSpan tracetest.SpanStub) {
	t.Helper()
	for _, op := range ops[1:] {
		s, ok := byOp[op.ID]
		if !ok {
			t.Errorf("no span for %s %s %q", op.Type, op.SubType, op.Name)
			continue
		}
		want := execSpan.SpanContext.SpanID()
		if op.ParentID != "" {
			want = byOp[op.ParentID].SpanContext.SpanID()
		}
		if s.Parent.SpanID() != want {
			t.Errorf("span %q: parent %s, want its parent's %s", s.Name, s.Parent.SpanID(), want)
		}
		if !s.StartTime.Equal(op.StartTimestamp.Time) || !s.EndTime.Equal(op.EndTimestamp.Time) {
			t.Errorf("span %q covers %v..%v, want %v..%v", s.Name, s.StartTime, s.EndTime, op.StartTimestamp.Time, op.EndTimestamp.Time)
		}
		if attr(s, durableotel.KeyOperationType).AsString() != string(op.Type) ||
			attr(s, durableotel.KeyOperationSubType).AsString() != op.SubType ||
			attr(s, durableotel.KeyOperationName).AsString() != op.Name ||
			attr(s, durableotel.KeyParentID).AsString() != op.ParentID {
			t.Errorf("span %q attributes %v do not describe %+v", s.Name, s.Attributes, op)
		}
		if failed := op.Status != protocol.StatusSucceeded; (s.Status.Code == codes.Error) != failed {
			t.Errorf("span %q of a %s operation has status %v", s.Name, op.Status, s.Status)
		}
	}
	if len(byOp) != len(ops)-1 {
		t.Errorf("%d operation spans for %d operations", len(byOp), len(ops)-1)
	}
}

// Child contexts nested three deep around a wait and a step retried
// twice, callbacks that succeed, fail, time out and miss their heartbeat,
// a map with a failed item and a parallel with a failed branch: one tree,
// each operation under its parent, failures with error status, callback
// spans from their start to their completion.
func TestSpanTreeOfNestingFailuresAndCallbacks(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if _, err := durable.RunInChildContext(ctx, "l1", func(c1 *durable.Context) (int, error) {
			return durable.RunInChildContext(c1, "l2", func(c2 *durable.Context) (int, error) {
				return durable.RunInChildContext(c2, "l3", func(c3 *durable.Context) (int, error) {
					if err := durable.Wait(c3, "w", 2*time.Second); err != nil {
						return 0, err
					}
					return durable.Step(c3, "deep", func(sc *durable.StepContext) (int, error) {
						if sc.Attempt() < 3 {
							return 0, errors.New("again")
						}
						return 1, nil
					}, durable.WithRetryStrategy(func(_ error, n int) durable.RetryDecision {
						return durable.RetryDecision{ShouldRetry: n < 3, Delay: time.Second}
					}))
				})
			})
		}); err != nil {
			return "", err
		}
		noRetry := durable.WithRetryStrategy(func(error, int) durable.RetryDecision { return durable.RetryDecision{} })
		if _, err := durable.Map(ctx, "m", []int{0, 1}, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(c, "item step", func(*durable.StepContext) (int, error) {
				if item == 1 {
					return 0, errors.New("bad item")
				}
				return item, nil
			}, noRetry)
		}, durable.WithToleratedFailures(1)); err != nil {
			return "", err
		}
		if _, err := durable.Parallel(ctx, "p", []durable.Branch[int]{
			{Name: "ok", Func: func(*durable.Context) (int, error) { return 1, nil }},
			{Name: "bad", Func: func(*durable.Context) (int, error) { return 0, errors.New("bad branch") }},
		}, durable.WithToleratedFailures(1)); err != nil {
			return "", err
		}
		var cbs []*durable.Callback[string]
		for _, c := range []struct {
			name string
			opts []durable.CallbackOption
		}{
			{"cb ok", nil}, {"cb fail", nil},
			{"cb timeout", []durable.CallbackOption{durable.WithCallbackTimeout(10 * time.Second)}},
			{"cb heartbeat", []durable.CallbackOption{durable.WithHeartbeatTimeout(5 * time.Second)}},
		} {
			cb, err := durable.CreateCallback[string](ctx, c.name, c.opts...)
			if err != nil {
				return "", err
			}
			cbs = append(cbs, cb)
		}
		for _, cb := range cbs {
			_, _ = cb.Result()
		}
		return "done", nil
	}, tel.options()...)

	ctx := context.Background()
	exec, err := durabletest.NewRunner(fn).Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Advance(ctx, 4*time.Second); err != nil { // the wait and the retries
		t.Fatal(err)
	}
	cbs := exec.Callbacks()
	if len(cbs) != 4 {
		t.Fatalf("%d callbacks, want 4", len(cbs))
	}
	if err := exec.Advance(ctx, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := exec.SendCallbackSuccess(ctx, cbs[0].CallbackDetails.CallbackID, []byte(`"yes"`)); err != nil {
		t.Fatal(err)
	}
	if err := exec.SendCallbackFailure(ctx, cbs[1].CallbackDetails.CallbackID, protocol.ErrorObject{ErrorType: "Rejected", ErrorMessage: "no"}); err != nil {
		t.Fatal(err)
	}
	if err := exec.SendCallbackHeartbeat(ctx, cbs[3].CallbackDetails.CallbackID); err != nil {
		t.Fatal(err)
	}
	if err := exec.RunToCompletion(ctx); err != nil || exec.Status() != durabletest.ExecutionSucceeded {
		t.Fatalf("run: %v %s", err, exec.Status())
	}

	spans := tel.spans.GetSpans()
	byName := checkExecutionSpans(t, spans, exec.Operations())
	for name, want := range map[string]string{
		"Callback cb fail":        "Rejected: no",
		"Callback cb timeout":     durabletest.ErrorTypeCallbackTimeout,
		"Callback cb heartbeat":   durabletest.ErrorTypeCallbackHeartbeat,
		"MapIteration map-item-1": "bad item",
		"ParallelBranch bad":      "bad branch",
	} {
		if s := byName[name]; s.Status.Code != codes.Error || !strings.Contains(s.Status.Description, want) {
			t.Errorf("%s: status %+v, want an error with %q", name, s.Status, want)
		}
	}
	if d := byName["Callback cb heartbeat"].EndTime.Sub(byName["Callback cb heartbeat"].StartTime); d != 7*time.Second {
		t.Errorf("the heartbeat callback's span lasts %v, want 7s: from its start to 5s after its heartbeat 2s later", d)
	}
	if attempts := attemptSpans(t, spans, byName, "Step deep"); len(attempts) != 3 {
		t.Errorf("attempt spans %v of the step retried twice, want 3", attempts)
	}
}

// checkExecutionSpans checks that spans form one tree holding one span per
// operation of ops (checkTree, checkOperationSpans), and returns them by
// name.
func checkExecutionSpans(t *testing.T, spans tracetest.SpanStubs, ops []protocol.Operation) map[string]tracetest.SpanStub {
	t.Helper()
	byName := checkTree(t, spans)
	byOp := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		if id := attr(s, durableotel.KeyOperationID).AsString(); id != "" && attr(s, durableotel.KeyAttempt).AsInt64() == 0 {
			if _, dup := byOp[id]; dup {
				t.Errorf("operation %s (%q) has two spans", id, s.Name)
			}
			byOp[id] = s
		}
	}
	checkOperationSpans(t, ops, byOp, byName["durable execution"])
	return byName
}

// attemptSpans returns the attempt numbers of the attempt spans of the
// step whose span is named step, checking that each is under that span.
func attemptSpans(t *testing.T, spans tracetest.SpanStubs, byName map[string]tracetest.SpanStub, step string) []int64 {
	t.Helper()
	var attempts []int64
	for _, s := range spans {
		if s.Name == step+" attempt" {
			n := attr(s, durableotel.KeyAttempt).AsInt64()
			attempts = append(attempts, n)
			if s.Parent.SpanID() != byName[step].SpanContext.SpanID() {
				t.Errorf("attempt %d of %s is not under its step", n, step)
			}
		}
	}
	return attempts
}

// freshInstances runs every invocation on a new "instance": a new tracer
// provider, plugin and handler, as after a cold start.
type freshInstances struct {
	t        *testing.T
	callback *string
	spans    tracetest.SpanStubs
}

func (f *freshInstances) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	tel := newTelemetry(f.t)
	out, err := durable.Handler(workflow(f.callback), tel.options()...).Invoke(ctx, payload)
	f.spans = append(f.spans, tel.spans.GetSpans()...)
	return out, err
}

// Every invocation on a fresh instance, nothing shared but the execution:
// the same single tree, each operation's span once.
func TestFreshInstancePerInvocation(t *testing.T) {
	var callbackID string
	h := &freshInstances{t: t, callback: &callbackID}
	exec := runWorkflowOn(t, h, &callbackID)
	checkTree(t, h.spans)
	ops := map[string]int{}
	for _, s := range h.spans {
		if id := attr(s, durableotel.KeyOperationID).AsString(); id != "" && attr(s, durableotel.KeyAttempt).AsInt64() == 0 {
			ops[id]++
		}
	}
	for _, op := range exec.Operations()[1:] {
		if ops[op.ID] != 1 {
			t.Errorf("%s %q has %d spans, want 1", op.SubType, op.Name, ops[op.ID])
		}
	}
}

// A map item still waiting when its batch completes (WithMinSuccessful)
// gets a span once, from its start to the batch's end, marked abandoned
// and without error status: the step it completed before, and its log
// line, have their parent. Replays of the batch make no second span.
func TestAbandonedBatchItemHasASpan(t *testing.T) {
	tel := newTelemetry(t)
	started, once := make(chan struct{}), sync.Once{}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Map(ctx, "m", []string{"fast", "slow"}, func(c *durable.Context, item string, _ int, _ []string) (int, error) {
			if item == "fast" {
				<-started
				return durable.Step(c, "quick", func(*durable.StepContext) (int, error) { return 1, nil })
			}
			if _, err := durable.Step(c, "before", func(*durable.StepContext) (int, error) { return 0, nil }); err != nil {
				return 0, err
			}
			c.Logger().Info("slow item waits")
			once.Do(func() { close(started) })
			return 0, durable.Wait(c, "long", time.Hour)
		}, durable.WithMinSuccessful(1), durable.WithItemNamer(func(i int) string { return []string{"fast", "slow"}[i] }))
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return "", err
		}
		return string(res.CompletionReason), nil
	}, tel.options()...)
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" || len(exec.Invocations()) < 2 {
		t.Fatalf("run: %v, status %s after %d invocations, want SUCCEEDED after 2", err, exec.Status(), len(exec.Invocations()))
	}
	spans := tel.spans.GetSpans()
	byName := checkTree(t, spans)
	n := 0
	for _, s := range spans {
		if s.Name == "MapIteration slow" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d spans for the abandoned item, want 1", n)
	}
	slow, batch := byName["MapIteration slow"], byName["Map m"]
	if !attr(slow, durableotel.KeyOperationAbandoned).AsBool() || attr(slow, durableotel.KeyOperationStatus).AsString() != "STARTED" {
		t.Errorf("abandoned item's span attributes %v, want abandoned and STARTED", slow.Attributes)
	}
	if slow.Status.Code == codes.Error {
		t.Errorf("abandoned item's span has error status %v", slow.Status)
	}
	if !slow.EndTime.Equal(batch.EndTime) || slow.StartTime.After(slow.EndTime) {
		t.Errorf("abandoned item's span covers %v..%v, want its start to the batch's end %v", slow.StartTime, slow.EndTime, batch.EndTime)
	}
	if before := byName["Step before"]; before.Parent.SpanID() != slow.SpanContext.SpanID() {
		t.Errorf("step of the abandoned item has parent %s, want the item's span %s", before.Parent.SpanID(), slow.SpanContext.SpanID())
	}
	lines := tel.jsonLogs(t)["slow item waits"]
	if len(lines) == 0 || lines[0]["spanId"] != slow.SpanContext.SpanID().String() {
		t.Errorf("the abandoned item's log lines %v, want spanId %s", lines, slow.SpanContext.SpanID())
	}
	if _, ok := byName["Wait long"]; ok {
		t.Error("the wait that never ended has a span")
	}
}
