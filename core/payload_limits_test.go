package durable_test

import (
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// maxOperationPayloadBytes is the service's limit on an operation's
// payload (protocol §3.4: 1 MB), counted in bytes of the serialized text.
const maxOperationPayloadBytes = 1 << 20

// overLimit is a JSON string whose serialized form is one byte over the
// limit: 2-byte runes count twice, as the service counts them.
func overLimit() string {
	// quotes (2 bytes) + n runes of 2 bytes = limit + 1 → pad with one ASCII byte
	return strings.Repeat("é", (maxOperationPayloadBytes-2)/2) + "x"
}

// atLimit serializes to exactly the limit: it is stored.
func atLimit() string { return strings.Repeat("é", (maxOperationPayloadBytes-2)/2) }

// wantTooLarge checks that err is the SDK's size error for the operation
// named name: errors.Is ErrPayloadTooLarge, and its message names the
// operation, the payload's size and the limit.
func wantTooLarge(t *testing.T, err error, name string, size int) {
	t.Helper()
	if !errors.Is(err, durable.ErrPayloadTooLarge) {
		t.Fatalf("error %.300v; want one matching ErrPayloadTooLarge", err)
	}
	wantSizeMessage(t, err.Error(), name, size)
}

// wantSizeMessage checks that msg names the operation, the size and the
// limit.
func wantSizeMessage(t *testing.T, msg, name string, size int) {
	t.Helper()
	for _, want := range []string{`"` + name + `"`, strconv.Itoa(size), strconv.Itoa(maxOperationPayloadBytes)} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %s", msg, want)
		}
	}
}

// A step whose result is over the service's per-operation limit fails
// that step, before anything is sent: the retry strategy sees the error
// like any other, the step's FAIL is checkpointed with it, and the code
// gets an error naming the step, the size and the limit, on the first run
// and on replay alike.
func TestStepResultOverTheLimitFailsTheStep(t *testing.T) {
	var attempts atomic.Int32
	var seen []error
	var retrySaw error
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		_, err := durable.Step(ctx, "huge", func(*durable.StepContext) (string, error) {
			attempts.Add(1)
			return overLimit(), nil
		}, durable.WithRetryStrategy(func(err error, attempt int) durable.RetryDecision {
			retrySaw = err
			return durable.RetryDecision{ShouldRetry: attempt < 2, Delay: time.Second}
		}))
		seen = append(seen, err)
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return "", err
		}
		if errors.Is(err, durable.ErrPayloadTooLarge) {
			return "handled", nil
		}
		return "", err
	})
	exec := run(t, h, nil)
	wantResult(t, exec, `"handled"`)
	if n := attempts.Load(); n != 2 {
		t.Errorf("%d attempts, want 2 (the retry strategy decides, as for any step error)", n)
	}
	wantTooLarge(t, retrySaw, "huge", maxOperationPayloadBytes+1)
	if len(seen) < 2 {
		t.Fatalf("the step returned %d times, want a first run and a replay", len(seen))
	}
	for _, err := range seen {
		wantTooLarge(t, err, "huge", maxOperationPayloadBytes+1)
		var oe *durable.OperationError
		if !errors.As(err, &oe) || oe.Kind != "StepError" || oe.Name != "huge" {
			t.Errorf("error %T %.200v; want a StepError *OperationError of step huge", err, err)
		}
	}
	if seen[0].Error() != seen[len(seen)-1].Error() {
		t.Errorf("first run and replay differ: %q vs %q", seen[0], seen[len(seen)-1])
	}
	step, ok := exec.FindOperation("huge")
	if !ok || step.Status != "FAILED" || step.StepDetails == nil || step.StepDetails.Result != nil || step.StepDetails.Error == nil {
		t.Fatalf("step record %+v; want FAILED with an error and no result", step)
	}
}

// A result of exactly the limit is stored.
func TestStepResultAtTheLimitIsStored(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		s, err := durable.Step(ctx, "big", func(*durable.StepContext) (string, error) { return atLimit(), nil })
		return len(s), err
	})
	wantResult(t, run(t, h, nil), strconv.Itoa(len(atLimit())))
}

// When the handler returns the step's size error, the execution fails
// with it: the error names the step, not a refused checkpoint.
func TestStepResultOverTheLimitFailsTheExecutionWithTheStepsError(t *testing.T) {
	var later atomic.Int32
	fn := func(ctx *durable.Context, _ any) (int, error) {
		if _, err := durable.Step(ctx, "huge", func(*durable.StepContext) (string, error) {
			return overLimit(), nil
		}, durable.WithRetryStrategy(durable.NoRetry)); err != nil {
			return 0, err
		}
		if _, err := durable.Step(ctx, "next", func(*durable.StepContext) (int, error) { return int(later.Add(1)), nil }); err != nil {
			return 0, err
		}
		return 0, nil
	}
	for _, opt := range []struct {
		name string
		opts []durable.Option
	}{{"synchronous outcomes", nil}, {"durability window", []durable.Option{durable.WithCheckpointWindow(time.Hour)}}} {
		t.Run(opt.name, func(t *testing.T) {
			later.Store(0)
			exec := run(t, durable.Handler(fn, opt.opts...), nil, durabletest.WithMaxInvocations(5))
			wantStepSizeFailure(t, exec, &later)
		})
	}
}

func wantStepSizeFailure(t *testing.T, exec *durabletest.Execution, later *atomic.Int32) {
	t.Helper()
	e := exec.Error()
	if exec.Status() != "FAILED" || e == nil || e.ErrorType != "StepError" {
		t.Fatalf("status %s, error %+v; want FAILED with the step's error", exec.Status(), e)
	}
	wantSizeMessage(t, e.ErrorMessage, "huge", maxOperationPayloadBytes+1)
	if later.Load() != 0 {
		t.Error("the handler went on after the step failed")
	}
}

// A WaitForCondition check whose state is over the limit fails the
// operation with the size error, which names it; the oversized state is
// never sent.
func TestWaitForConditionStateOverTheLimitFailsTheOperation(t *testing.T) {
	exec, seen := callErrors(t, func(ctx *durable.Context) error {
		_, err := durable.WaitForCondition(ctx, "poll", "", func(_ *durable.StepContext, s string) (string, error) {
			return overLimit(), nil
		}, func(string, int) (durable.WaitDecision, error) {
			return durable.WaitDecision{Continue: true, Delay: time.Second}, nil
		})
		return err
	})
	wantFailedOperation(t, exec, seen, "poll", "WaitForConditionError")
}

// callErrors runs a handler that makes call, keeps its error and goes on
// to a wait: call runs in the first invocation and is replayed in the
// next. It returns the execution, which must succeed, and call's errors.
func callErrors(t *testing.T, call func(*durable.Context) error, opts ...durabletest.Option) (*durabletest.Execution, []error) {
	t.Helper()
	var seen []error
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		seen = append(seen, call(ctx))
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return "", err
		}
		return "went on", nil
	})
	exec := run(t, h, nil, opts...)
	wantResult(t, exec, `"went on"`)
	if len(seen) < 2 {
		t.Fatalf("the call returned %d times, want a first run and a replay", len(seen))
	}
	return exec, seen
}

// wantFailedOperation checks that each error is the size error of the
// operation name, an *OperationError of kind, and that the operation's
// record is FAILED.
func wantFailedOperation(t *testing.T, exec *durabletest.Execution, errs []error, name, kind string) {
	t.Helper()
	for _, err := range errs {
		wantTooLarge(t, err, name, maxOperationPayloadBytes+1)
		var oe *durable.OperationError
		if !errors.As(err, &oe) || oe.Kind != kind {
			t.Errorf("error %T %.200v; want a %s *OperationError", err, err, kind)
		}
	}
	if op, ok := exec.FindOperation(name); !ok || op.Status != "FAILED" {
		t.Fatalf("operation record %+v; want FAILED", op)
	}
}

// An Invoke whose input is over the limit returns the size error before
// anything is checkpointed: the target never runs, and the code can
// handle the error.
func TestInvokeInputOverTheLimitIsRefusedBeforeStarting(t *testing.T) {
	var targetRuns atomic.Int32
	target := durable.Handler(func(_ *durable.Context, s string) (int, error) {
		targetRuns.Add(1)
		return len(s), nil
	})
	exec, seen := callErrors(t, func(ctx *durable.Context) error {
		_, err := durable.Invoke[int](ctx, "call", "target", overLimit())
		return err
	}, durabletest.WithInvokeTarget("target", target))
	for _, err := range seen {
		wantTooLarge(t, err, "call", maxOperationPayloadBytes+1)
	}
	if _, ok := exec.FindOperation("call"); ok {
		t.Error("the invoke was checkpointed")
	}
	if targetRuns.Load() != 0 {
		t.Error("the target ran")
	}
}

// maxExecutionResultBytes is the service's limit on the payload of an
// EXECUTION completion (protocol §3.4: 6 MB).
const maxExecutionResultBytes = 6 << 20

// A handler result too large even for the checkpoint that carries results
// over Lambda's response limit (protocol §1.4) fails the execution with an
// error that says so, naming the size and the limit, instead of the
// service's refusal of an update of an operation the code never named.
func TestHandlerResultOverTheExecutionLimitFailsTheExecution(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return strings.Repeat("x", maxExecutionResultBytes), nil
	})
	exec := run(t, h, nil)
	e := exec.Error()
	if exec.Status() != "FAILED" || e == nil || e.ErrorType != "PayloadTooLargeError" {
		t.Fatalf("status %s, error %.300v; want FAILED with a PayloadTooLargeError", exec.Status(), e)
	}
	for _, want := range []string{"handler", "result", strconv.Itoa(maxExecutionResultBytes + 2), strconv.Itoa(maxExecutionResultBytes)} {
		if !strings.Contains(e.ErrorMessage, want) {
			t.Errorf("error %q does not name %s", e.ErrorMessage, want)
		}
	}
}

// A result just under that limit is checkpointed and stays the result.
func TestHandlerResultAtTheExecutionLimitSucceeds(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return strings.Repeat("x", maxExecutionResultBytes-2), nil
	})
	exec := run(t, h, nil)
	if exec.Status() != "SUCCEEDED" || exec.Result() == nil || len(*exec.Result()) != maxExecutionResultBytes {
		t.Fatalf("status %s (error %.200v), result of %d bytes; want SUCCEEDED with the whole result", exec.Status(), exec.Error(), len(deref(exec.Result())))
	}
}

// A child context's result summary (WithResultSummary), checkpointed in
// place of a result over 256 KiB, that is itself over the service's limit
// fails the child with the size error, naming it, instead of the service
// refusing the child's completion.
func TestChildResultSummaryOverTheLimitFailsTheChild(t *testing.T) {
	exec, seen := callErrors(t, func(ctx *durable.Context) error {
		_, err := durable.RunInChildContext(ctx, "child", func(*durable.Context) (string, error) {
			return strings.Repeat("r", 300<<10), nil
		}, durable.WithResultSummary(func(string) string { return strings.Repeat("s", maxOperationPayloadBytes+1) })) // stored as is
		return err
	})
	wantFailedOperation(t, exec, seen, "child", "ChildContextError")
}

// PayloadTooLargeError is a user's error type that happens to share the
// name of the SDK's size error, such as an HTTP client's error for a 413
// response.
type PayloadTooLargeError struct{ Status int }

func (e *PayloadTooLargeError) Error() string { return "upload refused: 413 Payload Too Large" }

// A step failing with a user's error whose type is named like the SDK's
// size error does not match ErrPayloadTooLarge, on the first run or on
// replay: the operation's result was not too large, the user's upload
// was; code branching on the sentinel must not take one for the other.
func TestUsersPayloadTooLargeErrorIsNotTheSentinel(t *testing.T) {
	_, errs := callErrors(t, func(ctx *durable.Context) error {
		_, err := durable.Step(ctx, "upload", func(*durable.StepContext) (int, error) {
			return 0, &PayloadTooLargeError{Status: 413}
		}, durable.WithRetryStrategy(durable.NoRetry))
		return err
	})
	for _, err := range errs {
		var oe *durable.OperationError
		if !errors.As(err, &oe) || oe.ErrorObject.ErrorType != "PayloadTooLargeError" {
			t.Fatalf("error %#v; want the step's OperationError carrying the user's error type", err)
		}
		if errors.Is(err, durable.ErrPayloadTooLarge) {
			t.Errorf("the user's %q matches ErrPayloadTooLarge", err)
		}
	}
}

// The built-in retry strategies do not retry a result too large to store:
// the body succeeded, and running it again would repeat its effects for a
// result as large. A strategy that names ErrPayloadTooLarge retries it.
func TestBuiltInRetryStrategiesDoNotRetryAResultTooLarge(t *testing.T) {
	big := strings.Repeat("x", 1<<20+1)
	tests := []struct {
		name     string
		strategy durable.RetryStrategy
		want     int32
	}{
		{"DefaultRetry", durable.DefaultRetry, 1},
		{"LinearRetry", durable.LinearRetry, 1},
		{"CriticalRetry", durable.CriticalRetry, 1},
		{"NamedRetryable", durable.ExponentialRetry(durable.RetryConfig{MaxAttempts: 2,
			RetryableErrorTypes: []error{durable.ErrPayloadTooLarge}}), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bodies atomic.Int32
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				return durable.Step(ctx, "big", func(*durable.StepContext) (string, error) {
					bodies.Add(1)
					return big, nil
				}, durable.WithRetryStrategy(tt.strategy))
			})
			exec := run(t, h, nil)
			if exec.Status() != "FAILED" {
				t.Fatalf("execution %s, want FAILED", exec.Status())
			}
			if n := bodies.Load(); n != tt.want {
				t.Errorf("the body ran %d times, want %d", n, tt.want)
			}
		})
	}
}
