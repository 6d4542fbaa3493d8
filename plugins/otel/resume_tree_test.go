package durableotel_test

import (
	"context"
	"errors"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// awaitStatus waits until the operation named name of r's execution has
// one of the statuses.
func awaitStatus(r *durabletest.Runner, name string, statuses ...protocol.OperationStatus) error {
	for range 100_000 {
		if ex := r.Executions(); len(ex) > 0 {
			if op, ok := ex[0].FindOperation(name); ok {
				for _, s := range statuses {
					if op.Status == s {
						return nil
					}
				}
			}
		}
		time.Sleep(100 * time.Microsecond)
	}
	return errors.New(name + " never reached the status")
}

// A parallel branch that resumes in process twice (after its wait, then
// for its step's retry) while another branch works: one invocation, one
// span per operation, under its parent, and one attempt span per attempt
// of the retried step.
func TestSpanTreeOfABranchResumedInProcess(t *testing.T) {
	tel := newTelemetry(t)
	var r *durabletest.Runner
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "p", []durable.Branch[int]{
			{Name: "a", Func: func(c *durable.Context) (int, error) {
				if err := durable.Wait(c, "a-wait", 2*time.Second); err != nil {
					return 0, err
				}
				return durable.Step(c, "flaky", func(sc *durable.StepContext) (int, error) {
					if sc.Attempt() < 2 {
						return 0, errors.New("again")
					}
					return 1, nil
				}, durable.WithRetryStrategy(func(_ error, n int) durable.RetryDecision {
					return durable.RetryDecision{ShouldRetry: n < 2, Delay: time.Second}
				}))
			}},
			{Name: "b", Func: func(c *durable.Context) (int, error) {
				return durable.Step(c, "work", func(sc *durable.StepContext) (int, error) {
					if err := awaitStatus(r, "a-wait", protocol.StatusStarted, protocol.StatusSucceeded); err != nil {
						return 0, err
					}
					durabletest.Sleep(sc.Context(), 5*time.Second)
					if err := awaitStatus(r, "flaky", protocol.StatusPending, protocol.StatusReady, protocol.StatusSucceeded); err != nil {
						return 0, err
					}
					durabletest.Sleep(sc.Context(), 5*time.Second)
					return 2, nil
				})
			}},
		})
		if err != nil {
			return "", err
		}
		return "done", res.Err()
	}, tel.options()...)
	r = durabletest.NewRunner(fn)
	exec, err := r.Run(context.Background(), nil)
	if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
		t.Fatalf("run: %v %s %+v", err, exec.Status(), exec.Error())
	}
	if n := len(exec.Invocations()); n != 1 {
		t.Errorf("%d invocations, want 1: branch a should resume in process", n)
	}
	spans := tel.spans.GetSpans()
	byName := checkExecutionSpans(t, spans, exec.Operations())
	if attempts := attemptSpans(t, spans, byName, "Step flaky"); len(attempts) != 2 {
		t.Errorf("attempt spans of flaky: %v, want attempts 1 and 2", attempts)
	}
}
