package durabletest_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// recordHistory runs fn to its end and returns its history's JSON.
func recordHistory(t *testing.T, fn *durable.Function) []byte {
	t.Helper()
	e, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(e.History())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An execution that finished without an operation the code now calls
// does not replay: the recorded run returned where the code goes on.
func TestReplayHistoryCatchesAnOperationAddedAfterTheLastRecorded(t *testing.T) {
	charge := func(ctx *durable.Context) (string, error) {
		return durable.Step(ctx, "charge", func(*durable.StepContext) (string, error) { return "charged", nil })
	}
	for _, failed := range []bool{false, true} {
		end := func(ctx *durable.Context, _ any) (string, error) {
			r, err := charge(ctx)
			if failed {
				return "", errors.New("declined")
			}
			return r, err
		}
		history := recordHistory(t, durable.Handler(end, quietLogs))
		withAudit := durable.Handler(func(ctx *durable.Context, in any) (string, error) {
			if _, err := charge(ctx); err != nil {
				return "", err
			}
			if _, err := durable.Step(ctx, "audit", func(*durable.StepContext) (bool, error) { return true, nil }); err != nil {
				return "", err
			}
			return end(ctx, in)
		}, quietLogs)
		err := durabletest.ReplayHistory(context.Background(), history, withAudit)
		var nd *durable.NonDeterministicError
		if !errors.As(err, &nd) {
			t.Errorf("failed=%v: ReplayHistory with a step added at the end = %v, want a NonDeterministicError", failed, err)
		}
		if err := durabletest.ReplayHistory(context.Background(), history, durable.Handler(end, quietLogs)); err != nil {
			t.Errorf("failed=%v: the recorded code does not replay: %v", failed, err)
		}
	}
}

// A finished execution may leave operations unfinished that its code does
// not wait for, such as the branches a Parallel no longer needed: its
// replay still completes, and passes.
func TestReplayHistoryAcceptsAbandonedBranches(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		br, err := durable.Parallel(ctx, "race", []durable.Branch[int]{
			{Name: "fast", Func: func(*durable.Context) (int, error) { return 1, nil }},
			{Name: "slow", Func: func(c *durable.Context) (int, error) { return 2, durable.Wait(c, "nap", time.Hour) }},
		}, durable.WithMinSuccessful(1))
		if err != nil {
			return 0, err
		}
		return len(br.Succeeded()), nil
	}, quietLogs)
	if err := durabletest.ReplayHistory(context.Background(), recordHistory(t, fn), fn); err != nil {
		t.Fatal(err)
	}
}
