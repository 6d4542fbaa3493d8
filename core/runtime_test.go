package durable_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

func run(t *testing.T, h durabletest.Handler, input any, opts ...durabletest.Option) *durabletest.Execution {
	t.Helper()
	exec, err := durabletest.NewRunner(h, opts...).Run(context.Background(), input)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return exec
}

func eventTypes(exec *durabletest.Execution) []string {
	var out []string
	for _, e := range exec.History() {
		out = append(out, string(e.EventType))
	}
	return out
}

func wantResult(t *testing.T, exec *durabletest.Execution, want string) {
	t.Helper()
	if exec.Status() != "SUCCEEDED" {
		t.Fatalf("status = %s (error %+v), want SUCCEEDED", exec.Status(), exec.Error())
	}
	if got := exec.Result(); got == nil || *got != want {
		t.Fatalf("result = %v, want %s", deref(got), want)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// The worked example of protocol §9.3: step, 5-second wait, step.
func TestStepWaitStepMatchesSpecHistory(t *testing.T) {
	var validateRuns atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if _, err := durable.Step(ctx, "validate", func(*durable.StepContext) (string, error) {
			validateRuns.Add(1)
			return "ok", nil
		}); err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "", 5*time.Second); err != nil {
			return "", err
		}
		return durable.Step(ctx, "charge", func(*durable.StepContext) (string, error) { return "done", nil })
	})
	exec := run(t, h, nil)
	wantResult(t, exec, `"done"`)
	want := []string{"ExecutionStarted", "StepStarted", "StepSucceeded", "WaitStarted", "InvocationCompleted",
		"WaitSucceeded", "StepStarted", "StepSucceeded", "InvocationCompleted", "ExecutionSucceeded"}
	if got := eventTypes(exec); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("history = %v\nwant      %v", got, want)
	}
	if n := validateRuns.Load(); n != 1 {
		t.Errorf("completed step ran %d times across invocations, want 1", n)
	}
	if id := exec.History()[1].ID; id != "1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97" {
		t.Errorf("first step id = %s, want the spec's id for key 1", id)
	}
}

type flaky struct{ msg string }

func (e *flaky) Error() string { return e.msg }

func TestStepRetriesWithAttemptNumbers(t *testing.T) {
	var attempts []int
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
			attempts = append(attempts, sc.Attempt())
			if sc.Attempt() < 3 {
				return 0, &flaky{"not yet"}
			}
			return sc.Attempt(), nil
		}, durable.WithRetryStrategy(durable.ExponentialRetry(durable.RetryConfig{MaxAttempts: 5, Jitter: durable.JitterNone})))
	})
	exec := run(t, h, nil)
	wantResult(t, exec, "3")
	if fmt.Sprint(attempts) != "[1 2 3]" {
		t.Errorf("attempts = %v, want [1 2 3]", attempts)
	}
	var failed int
	for _, e := range exec.History() {
		if e.EventType == "StepFailed" {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("%d StepFailed events, want 2", failed)
	}
	if n := len(exec.Invocations()); n != 3 {
		t.Errorf("%d invocations, want 3 (one per attempt)", n)
	}
}

func TestStepExhaustedFailsExecution(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "always", func(*durable.StepContext) (int, error) {
			return 0, &flaky{"card declined"}
		}, durable.WithRetryStrategy(durable.NoRetry))
	})
	exec := run(t, h, nil)
	if exec.Status() != "FAILED" {
		t.Fatalf("status = %s, want FAILED", exec.Status())
	}
	if e := exec.Error(); e == nil || e.ErrorMessage != "card declined" || e.ErrorType != "StepError" {
		t.Errorf("error = %+v, want StepError 'card declined'", e)
	}
}

func TestPanicsBecomeFailures(t *testing.T) {
	tests := []struct {
		name string
		fn   func(ctx *durable.Context, _ any) (int, error)
	}{
		{"handler", func(*durable.Context, any) (int, error) { panic("boom") }},
		{"step", func(ctx *durable.Context, _ any) (int, error) {
			return durable.Step(ctx, "p", func(*durable.StepContext) (int, error) { panic("boom") },
				durable.WithRetryStrategy(durable.NoRetry))
		}},
		{"child", func(ctx *durable.Context, _ any) (int, error) {
			return durable.RunInChildContext(ctx, "c", func(*durable.Context) (int, error) { panic("boom") })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := run(t, durable.Handler(tt.fn), nil)
			if exec.Status() != "FAILED" {
				t.Fatalf("status = %s, want FAILED", exec.Status())
			}
			if e := exec.Error(); e == nil || !strings.Contains(e.ErrorMessage, "boom") {
				t.Errorf("error = %+v, want the panic message", e)
			}
		})
	}
}

func TestNonDeterministicReplayFailsExecution(t *testing.T) {
	var invocation atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		name := "first"
		if invocation.Add(1) > 1 {
			name = "renamed"
		}
		if _, err := durable.Step(ctx, name, func(*durable.StepContext) (int, error) { return 1, nil }); err != nil {
			return "", err
		}
		return "", durable.Wait(ctx, "", time.Second)
	})
	exec := run(t, h, nil)
	if exec.Status() != "FAILED" {
		t.Fatalf("status = %s, want FAILED", exec.Status())
	}
	e := exec.Error()
	if e == nil || e.ErrorType != "NonDeterministicExecutionError" || !strings.Contains(e.ErrorMessage, `"first"`) || !strings.Contains(e.ErrorMessage, `"renamed"`) {
		t.Errorf("error = %+v, want NonDeterministicExecutionError naming both steps", e)
	}
}

func TestChildContextsNestIDsAndParents(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.RunInChildContext(ctx, "outer", func(c *durable.Context) (string, error) {
			return durable.RunInChildContext(c, "inner", func(c *durable.Context) (string, error) {
				return durable.Step(c, "leaf", func(*durable.StepContext) (string, error) { return "x", nil })
			})
		})
	})
	exec := run(t, h, nil)
	wantResult(t, exec, `"x"`)
	outer, _ := exec.FindOperation("outer")
	inner, _ := exec.FindOperation("inner")
	leaf, _ := exec.FindOperation("leaf")
	if inner.ParentID != outer.ID || leaf.ParentID != inner.ID {
		t.Errorf("parents: inner.ParentID=%s (outer %s), leaf.ParentID=%s (inner %s)", inner.ParentID, outer.ID, leaf.ParentID, inner.ID)
	}
	if outer.ID != "1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97" ||
		inner.ID != "974bfc6321e227b0ff101342eaf19b336f002dc6cc99c18f0941a7755cc20fc4" {
		t.Errorf("ids = %s, %s; want the spec's worked examples", outer.ID, inner.ID)
	}
}

func TestCompletedChildIsNotReRun(t *testing.T) {
	var runs atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		v, err := durable.RunInChildContext(ctx, "once", func(c *durable.Context) (int, error) {
			runs.Add(1)
			return 7, nil
		})
		if err != nil {
			return 0, err
		}
		return v, durable.Wait(ctx, "", time.Hour)
	})
	exec := run(t, h, nil)
	wantResult(t, exec, "7")
	if runs.Load() != 1 {
		t.Errorf("child body ran %d times, want 1", runs.Load())
	}
}

func TestLargeChildResultReplaysChildren(t *testing.T) {
	var runs atomic.Int32
	big := strings.Repeat("x", 300*1024)
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		v, err := durable.RunInChildContext(ctx, "big", func(c *durable.Context) (string, error) {
			runs.Add(1)
			return durable.Step(c, "make", func(*durable.StepContext) (string, error) { return big, nil })
		})
		if err != nil {
			return 0, err
		}
		if err := durable.Wait(ctx, "", time.Second); err != nil {
			return 0, err
		}
		return len(v), nil
	})
	exec := run(t, h, nil)
	wantResult(t, exec, fmt.Sprint(len(big)))
	if runs.Load() != 2 {
		t.Errorf("child body ran %d times, want 2 (re-run to rebuild a result too large to checkpoint)", runs.Load())
	}
}

func TestLargeExecutionResultIsCheckpointed(t *testing.T) {
	big := strings.Repeat("y", 6*1024*1024-40) // over the inline limit, under the checkpoint limit
	h := durable.Handler(func(*durable.Context, any) (string, error) { return big, nil })
	exec := run(t, h, nil)
	if exec.Status() != "SUCCEEDED" {
		t.Fatalf("status = %s, error %+v", exec.Status(), exec.Error())
	}
	if got := exec.Result(); got == nil || len(*got) != len(big)+2 {
		t.Errorf("result length = %d, want %d", len(deref(got)), len(big)+2)
	}
}

// The 6 MiB limit is Lambda's, on the response as Invoke encodes it: a
// result whose characters JSON escapes ('"', '<', '\\' ...) grows there, so
// a result well under the limit may not fit inline and is checkpointed.
func TestEscapedExecutionResultOverTheResponseLimitIsCheckpointed(t *testing.T) {
	for name, big := range map[string]string{
		"quotes": strings.Repeat(`"`, 2<<20), // 4 MiB as a JSON string, 8 MiB in the response
		"html":   strings.Repeat("<a>", 400<<10),
	} {
		t.Run(name, func(t *testing.T) {
			h := durable.Handler(func(*durable.Context, any) (string, error) { return big, nil })
			exec := run(t, h, nil)
			if exec.Status() != "SUCCEEDED" {
				t.Fatalf("status = %s, error %+v, want SUCCEEDED", exec.Status(), exec.Error())
			}
			var got string
			if r := exec.Result(); r == nil || json.Unmarshal([]byte(*r), &got) != nil || got != big {
				t.Errorf("result of %d bytes does not decode to the handler's", len(deref(exec.Result())))
			}
			if n := len(exec.Invocations()); n != 1 {
				t.Errorf("%d invocations, want 1", n)
			}
		})
	}
}

func TestInvalidInputFailsExecution(t *testing.T) {
	h := durable.Handler(func(*durable.Context, struct{ N int }) (int, error) { return 0, nil })
	exec := run(t, h, "not an object")
	if exec.Status() != "FAILED" {
		t.Fatalf("status = %s, want FAILED", exec.Status())
	}
	if e := exec.Error(); e == nil || e.ErrorType != "InvalidInputError" {
		t.Errorf("error = %+v, want InvalidInputError", e)
	}
}

func TestWaitRejectsShortDurations(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		err := durable.Wait(ctx, "", 10*time.Millisecond)
		if !errors.Is(err, durable.ErrInvalidArgument) {
			return "", fmt.Errorf("got %v, want ErrInvalidArgument", err)
		}
		return "ok", nil
	})
	wantResult(t, run(t, h, nil), `"ok"`)
}

func TestHourLongWaitUsesVirtualClock(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return "late", durable.Wait(ctx, "nap", time.Hour)
	})
	exec := run(t, h, nil)
	wantResult(t, exec, `"late"`)
	inv := exec.Invocations()
	if len(inv) != 2 || inv[1].Start.Sub(inv[0].Start) < time.Hour {
		t.Errorf("invocations %+v: want a second one an hour (virtual) after the first", inv)
	}
}
