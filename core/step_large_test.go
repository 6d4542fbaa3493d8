package durable_test

import (
	"strings"
	"sync/atomic"
	"testing"

	durable "github.com/durable-go/durable-go/core"
)

// A step result over the 1 MB the service stores for an operation
// (protocol §3.4) fails that step, and the execution that returns its
// error ends there: no later step body runs.
func TestStepResultTooLargeToStoreStopsTheExecutionThere(t *testing.T) {
	var later atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		if _, err := durable.Step(ctx, "huge", func(*durable.StepContext) (string, error) {
			return strings.Repeat("x", 1100<<10), nil
		}); err != nil {
			return 0, err
		}
		for range 3 {
			if _, err := durable.Step(ctx, "next", func(*durable.StepContext) (int, error) { return int(later.Add(1)), nil }); err != nil {
				return 0, err
			}
		}
		return 0, nil
	})
	exec := run(t, h, nil)
	if exec.Status() != "FAILED" {
		t.Fatalf("status %s, want FAILED", exec.Status())
	}
	if e := exec.Error(); e == nil || e.ErrorType != "StepError" || !strings.Contains(e.ErrorMessage, `Step "huge"`) {
		t.Errorf("execution error %.300v, want the step's error about its result's size", e)
	}
	if n := later.Load(); n != 0 {
		t.Errorf("%d later step bodies ran after the step whose result the service refused, want 0", n)
	}
}
