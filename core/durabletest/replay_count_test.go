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

// A ReplayError counts the invocations the history recorded: the
// execution's final event (ExecutionSucceeded, ExecutionFailed, and the
// TIMED_OUT or STOPPED an outside event causes between invocations) is not
// an invocation of its own.
func TestReplayErrorCountsTheRecordedInvocations(t *testing.T) {
	step := func(ctx *durable.Context, name string) (string, error) {
		return durable.Step(ctx, name, func(*durable.StepContext) (string, error) { return name, nil })
	}
	waitThen := func(name string) func(*durable.Context, any) (string, error) {
		return func(ctx *durable.Context, _ any) (string, error) {
			if _, err := step(ctx, name); err != nil {
				return "", err
			}
			if err := durable.Wait(ctx, "w", time.Minute); err != nil {
				return "", err
			}
			return name, nil
		}
	}
	immediate := func(name string) func(*durable.Context, any) (string, error) {
		return func(ctx *durable.Context, _ any) (string, error) { return step(ctx, name) }
	}
	ctx := context.Background()
	cases := []struct {
		name     string
		recorded func(string) func(*durable.Context, any) (string, error)
		end      func(*durabletest.Execution) error
	}{
		{"one invocation", immediate, nil},
		{"two invocations", waitThen, nil},
		{"stopped between invocations", waitThen, func(e *durabletest.Execution) error { return e.Stop(ctx, nil) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := durabletest.NewRunner(durable.Handler(c.recorded("a"), quietLogs))
			e, err := r.Start(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.end != nil {
				err = c.end(e)
			} else {
				err = e.RunToCompletion(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			history, err := json.Marshal(e.History())
			if err != nil {
				t.Fatal(err)
			}
			// Code that renamed the first step diverges.
			changed := durable.Handler(c.recorded("b"), quietLogs)
			var re *durabletest.ReplayError
			if err := durabletest.ReplayHistory(ctx, history, changed); !errors.As(err, &re) {
				t.Fatalf("ReplayHistory = %v, want a *ReplayError", err)
			}
			want := len(e.Invocations())
			if re.Invocations != want || re.Invocation < 1 || re.Invocation > want {
				t.Errorf("ReplayError says invocation %d of %d; the history recorded %d invocations", re.Invocation, re.Invocations, want)
			}
		})
	}
}
