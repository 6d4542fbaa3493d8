package durable_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// A durable operation in a deferred call runs when the function returns,
// once, and not while an invocation suspends: Go runs deferred calls on
// the suspension's runtime.Goexit too, where the step's body used to run
// and be checkpointed ahead of the operations that follow the wait, so
// that the next invocation failed with a NonDeterministicError.
func TestDeferredOperationRunsWhenTheFunctionReturns(t *testing.T) {
	cleanups := 0
	var suspending []error
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		defer func() {
			_, err := durable.Step(ctx, "cleanup", func(*durable.StepContext) (int, error) { cleanups++; return 1, nil })
			if err != nil {
				suspending = append(suspending, err)
			}
		}()
		_, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			defer func() { _ = durable.Wait(c, "child cleanup", time.Second) }()
			return 0, durable.Wait(c, "w", time.Second)
		})
		if err != nil {
			return "", err
		}
		_, err = durable.Step(ctx, "after", func(*durable.StepContext) (int, error) { return 2, nil })
		return "ok", err
	})
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status() != "SUCCEEDED" {
		t.Fatalf("execution %s (%+v), want SUCCEEDED", exec.Status(), exec.Error())
	}
	if cleanups != 1 {
		t.Errorf("the deferred step's body ran %d times, want once", cleanups)
	}
	if len(suspending) == 0 {
		t.Error("the deferred step returned no error while the invocation suspended")
	}
	for _, err := range suspending {
		if !errors.Is(err, durable.ErrSuspending) {
			t.Errorf("the deferred step returned %v while suspending, want ErrSuspending", err)
		}
	}
	var names []string
	for _, op := range exec.Operations() {
		if op.Name != "" {
			names = append(names, op.Name)
		}
	}
	want := []string{"child", "w", "child cleanup", "after", "cleanup"}
	if len(names) != len(want) {
		t.Fatalf("operations %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("operations %q, want %q", names, want)
		}
	}
}

// A retry strategy that panics fails its step, with the panic's message,
// as a wait strategy's panic fails WaitForCondition: the panic used to
// leave the step STARTED for good while the child context around it
// failed and the handler went on to succeed.
func TestRetryStrategyPanicFailsTheStep(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		_, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			return durable.Step(c, "s", func(*durable.StepContext) (int, error) { return 0, errors.New("declined") },
				durable.WithRetryStrategy(func(error, int) durable.RetryDecision { panic("strategy bug") }))
		})
		if err == nil {
			return "", errors.New("the child succeeded")
		}
		return err.Error(), nil
	})
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status() != "SUCCEEDED" {
		t.Fatalf("execution %s (%+v), want SUCCEEDED with the child's error as result", exec.Status(), exec.Error())
	}
	op, ok := exec.FindOperation("s")
	if !ok || op.Status != "FAILED" {
		t.Fatalf("step status %s, want FAILED", op.Status)
	}
	if e := op.StepDetails.Error; e == nil || !strings.Contains(e.ErrorMessage, "strategy bug") {
		t.Errorf("step error %+v, want the strategy's panic message", e)
	}
}

// panickingSerdes is a Serdes with a bug: both directions panic.
type panickingSerdes struct{}

func (panickingSerdes) Serialize(any) (string, error) { panic("serdes bug") }
func (panickingSerdes) Deserialize(string, any) error { panic("serdes bug") }

// A Serdes that panics is a serialization failure, which fails the
// execution (protocol §8.8) as its returned error does: the panic used to
// unwind to the child context around the step, which failed as if its
// code had panicked, and the handler handled that and succeeded with the
// step left STARTED.
func TestPanickingSerdesFailsTheExecution(t *testing.T) {
	after := 0
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		_, _ = durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			return durable.Step(c, "s", func(*durable.StepContext) (int, error) { return 1, nil }, durable.WithSerdes(panickingSerdes{}))
		})
		after++
		return "ok", nil
	})
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status() != "FAILED" {
		t.Fatalf("execution %s, want FAILED", exec.Status())
	}
	if e := exec.Error(); e == nil || !strings.Contains(e.ErrorMessage, "serialization failed") || !strings.Contains(e.ErrorMessage, "serdes bug") {
		t.Errorf("execution error %+v, want a serialization failure with the panic's message", e)
	}
	if after != 0 {
		t.Error("the handler went on after the serialization failure")
	}
}

// Awaiting a callback inside a step body is refused like any durable
// operation there (durablecheck reports it as such): Callback.Result used
// to suspend the execution in the middle of the step's body, leaving the
// step STARTED with its body to run again, or, at most once per retry,
// interrupted.
//
//durable:ignore stepctx the misuse is what this test checks the runtime rejects
func TestCallbackResultInsideStepBodyFails(t *testing.T) {
	var resultErr error
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		return durable.Step(ctx, "await", func(*durable.StepContext) (string, error) {
			v, err := cb.Result()
			resultErr = err
			return v, err
		}, durable.WithAtMostOncePerRetry())
	})
	runMisuse(t, fn, `Callback "approval"`, `Step "await" is running`)
	if !errors.Is(resultErr, durable.ErrContextInUse) {
		t.Errorf("Result returned %v, want ErrContextInUse", resultErr)
	}
}

// In a WaitForCallback's submitter, a step body, the parent's Context is
// refused with the advice for step bodies; it used to advise using "the
// Context the function receives", which a submitter does not receive.
//
//durable:ignore stepctx the misuse is what this test checks the runtime rejects
func TestParentContextInsideSubmitterFails(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.WaitForCallback[string](ctx, "payment", func(*durable.StepContext, string) error {
			return durable.Wait(ctx, "w", time.Second)
		})
	})
	exec := runMisuse(t, fn, `Wait "w"`, `WaitForCallback "payment" is running`, "submitter")
	if strings.Contains(exec.Error().ErrorMessage, "the Context the function receives") {
		t.Errorf("error %q advises a Context the submitter does not receive", exec.Error().ErrorMessage)
	}
}

// A step body inside a child context awaiting a callback its parent
// created is refused too: the parent's Context is busy with the child,
// where awaiting is allowed, but the call comes from the step body.
//
//durable:ignore stepctx the misuse is what this test checks the runtime rejects
func TestCallbackResultInsideNestedStepBodyFails(t *testing.T) {
	var resultErr error
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		return durable.RunInChildContext(ctx, "child", func(c *durable.Context) (string, error) {
			return durable.Step(c, "await", func(*durable.StepContext) (string, error) {
				v, err := cb.Result()
				resultErr = err
				return v, err
			})
		})
	})
	runMisuse(t, fn, `Callback "approval"`, "step body")
	if !errors.Is(resultErr, durable.ErrContextInUse) {
		t.Errorf("Result returned %v, want ErrContextInUse", resultErr)
	}
}
