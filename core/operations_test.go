package durable_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

func TestCallbackCompletedFromTheTest(t *testing.T) {
	tests := []struct {
		name       string
		complete   func(ctx context.Context, exec *durabletest.Execution, id string) error
		wantStatus string
		want       string
	}{
		{"success", func(ctx context.Context, e *durabletest.Execution, id string) error {
			return e.SendCallbackSuccess(ctx, id, []byte(`approved`))
		}, "SUCCEEDED", `"approved"`},
		{"failure", func(ctx context.Context, e *durabletest.Execution, id string) error {
			return e.SendCallbackFailure(ctx, id, protocol.ErrorObject{ErrorType: "RejectedError", ErrorMessage: "not approved"})
		}, "SUCCEEDED", `"rejected: not approved"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				cb, err := durable.CreateCallback[string](ctx, "approval")
				if err != nil {
					return "", err
				}
				v, err := cb.Result()
				var opErr *durable.OperationError
				if errors.As(err, &opErr) && opErr.Kind == "CallbackError" {
					return "rejected: " + opErr.ErrorMessage, nil
				}
				return v, err
			})
			ctx := context.Background()
			exec, err := durabletest.NewRunner(h).Start(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if exec.Status() != "RUNNING" || len(exec.Callbacks()) != 1 {
				t.Fatalf("status %s with %d callbacks, want RUNNING awaiting one", exec.Status(), len(exec.Callbacks()))
			}
			if err := exec.RunToCompletion(ctx); !errors.Is(err, durabletest.ErrBlocked) {
				t.Fatalf("RunToCompletion before the callback = %v, want ErrBlocked", err)
			}
			if err := tt.complete(ctx, exec, exec.Callbacks()[0].CallbackDetails.CallbackID); err != nil {
				t.Fatal(err)
			}
			if err := exec.RunToCompletion(ctx); err != nil {
				t.Fatal(err)
			}
			wantResult(t, exec, tt.want)
		})
	}
}

func TestCallbackTimesOut(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "slow", durable.WithCallbackTimeout(5*time.Second))
		if err != nil {
			return "", err
		}
		_, err = cb.Result()
		var opErr *durable.OperationError
		if !errors.As(err, &opErr) || opErr.Kind != "CallbackTimeoutError" || opErr.ErrorObject.ErrorType != "Callback.Timeout" {
			return "", fmt.Errorf("got %v, want a Callback.Timeout error", err)
		}
		return "timed out", nil
	})
	wantResult(t, run(t, h, nil), `"timed out"`)
}

func TestInvokeRunsTheTargetAsItsOwnExecution(t *testing.T) {
	double := durable.Handler(func(_ *durable.Context, n int) (int, error) { return 2 * n, nil })
	fail := durable.Handler(func(*durable.Context, int) (int, error) { return 0, errors.New("target broke") })
	h := durable.Handler(func(ctx *durable.Context, n int) (string, error) {
		v, err := durable.Invoke[int](ctx, "double", "double:$LATEST", n)
		if err != nil {
			return "", err
		}
		_, err = durable.Invoke[int](ctx, "fail", "fail", n)
		var opErr *durable.OperationError
		if !errors.As(err, &opErr) || opErr.Kind != "InvokeError" || opErr.ErrorMessage != "target broke" {
			return "", fmt.Errorf("failing target gave %v", err)
		}
		return fmt.Sprint(v), nil
	})
	exec := run(t, h, 21, durabletest.WithInvokeTarget("double", double), durabletest.WithInvokeTarget("fail", fail))
	wantResult(t, exec, `"42"`)
}

func TestWaitForConditionPollsUntilMet(t *testing.T) {
	var checks atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.WaitForCondition(ctx, "count", 0, func(_ *durable.StepContext, n int) (int, error) {
			checks.Add(1)
			return n + 1, nil
		}, durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[int]{
			ShouldContinue: func(n int) bool { return n < 3 },
			InitialDelay:   time.Second, Jitter: durable.JitterNone,
		}))
	})
	exec := run(t, h, nil)
	wantResult(t, exec, "3")
	if checks.Load() != 3 || len(exec.Invocations()) != 3 {
		t.Errorf("%d checks in %d invocations, want 3 in 3", checks.Load(), len(exec.Invocations()))
	}
}

func TestWaitForConditionRejectsMissingFunctions(t *testing.T) {
	check := func(_ *durable.StepContext, n int) (int, error) { return n, nil }
	stop := func(int, int) (durable.WaitDecision, error) { return durable.WaitDecision{}, nil }
	tests := []struct {
		name     string
		check    func(*durable.StepContext, int) (int, error)
		strategy durable.WaitStrategy[int]
		want     string
	}{
		{"no strategy", check, nil, "needs a WaitStrategy"},
		{"no check", nil, stop, "needs a check function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				_, err := durable.WaitForCondition(ctx, "poll", 0, tt.check, tt.strategy)
				if !errors.Is(err, durable.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
					return "", fmt.Errorf("got %v, want ErrInvalidArgument mentioning %q", err, tt.want)
				}
				return "ok", nil
			})
			wantResult(t, run(t, h, nil), `"ok"`)
		})
	}
}

func TestMapRunsItemsConcurrentlyAndSharesCheckpoints(t *testing.T) {
	items := make([]int, 200)
	for i := range items {
		items[i] = i
	}
	var inFlight, peak atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "squares", items, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(c, "square", func(*durable.StepContext) (int, error) {
				n := inFlight.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				defer inFlight.Add(-1)
				return item * item, nil
			})
		}, durable.WithMaxConcurrency(20))
		if err != nil {
			return 0, err
		}
		sum := 0
		for _, v := range res.Results() {
			sum += v
		}
		return sum, res.Err()
	})
	exec := run(t, h, nil)
	wantResult(t, exec, "2646700")
	if p := peak.Load(); p > 20 {
		t.Errorf("%d items ran at once, want at most 20", p)
	}
	st := exec.Stats()
	if st.OperationUpdates != 802 {
		t.Errorf("%d updates, want 802 (4 per item + map START/SUCCEED)", st.OperationUpdates)
	}
	t.Logf("%d checkpoint calls for %d updates", st.CheckpointCalls, st.OperationUpdates)
	if st.CheckpointCalls > 40 {
		t.Errorf("%d checkpoint calls for %d updates: concurrent items must share batches", st.CheckpointCalls, st.OperationUpdates)
	}
}

func TestMapItemIDsComeFromTheIndex(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if _, err := durable.Step(ctx, "first", func(*durable.StepContext) (int, error) { return 0, nil }); err != nil {
			return "", err
		}
		_, err := durable.Map(ctx, "m", []string{"a", "b"}, func(c *durable.Context, s string, _ int, _ []string) (string, error) {
			return durable.Step(c, "s", func(*durable.StepContext) (string, error) { return s, nil })
		})
		return "", err
	})
	exec := run(t, h, nil)
	item0, ok := exec.FindOperation("map-item-0")
	if !ok || item0.ID != "604a8a71e7f4a225452b337e1a92cb84c18e15a7df93335ef291797ffd4bf543" {
		t.Errorf("map item 0 id = %s, want the spec's worked example", item0.ID)
	}
	if step, _ := exec.Operation("0fc57e080e06ff515cc55e524f84788c2726fe245cd5465b99fd5e25ce998f23"); step.ParentID != item0.ID {
		t.Errorf("first step of item 0 has parent %q, want %s", step.ParentID, item0.ID)
	}
}

func TestParallelCompletionOptions(t *testing.T) {
	branches := func() []durable.Branch[string] {
		ok := func(v string) func(*durable.Context) (string, error) {
			return func(c *durable.Context) (string, error) { return v, nil }
		}
		bad := func(c *durable.Context) (string, error) { return "", errors.New("bad branch") }
		return []durable.Branch[string]{{Func: ok("a")}, {Func: bad}, {Func: ok("c")}}
	}
	tests := []struct {
		name string
		opts []durable.BatchOption
		want string
	}{
		{"all successful by default", []durable.BatchOption{durable.WithMaxConcurrency(1)}, "FAILURE_TOLERANCE_EXCEEDED 1/1"},
		{"tolerate one", []durable.BatchOption{durable.WithToleratedFailures(1)}, "ALL_COMPLETED 2/1"},
		{"first successful", []durable.BatchOption{durable.WithMaxConcurrency(1), durable.WithMinSuccessful(1)}, "MIN_SUCCESSFUL_REACHED 1/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				res, err := durable.Parallel(ctx, "p", branches(), tt.opts...)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("%s %d/%d", res.CompletionReason, res.SuccessCount(), res.FailureCount()), nil
			})
			wantResult(t, run(t, h, nil), `"`+tt.want+`"`)
		})
	}
}

func TestBatchRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		opt  durable.BatchOption
		want string
	}{
		{"no concurrency", durable.WithMaxConcurrency(0), "concurrency"},
		{"more successes than items", durable.WithMinSuccessful(2), "WithMinSuccessful(2)"},
		{"negative tolerance", durable.WithToleratedFailures(-1), "WithToleratedFailures"},
		{"share above 100", durable.WithToleratedFailurePercentage(101), "WithToleratedFailurePercentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				_, err := durable.Map(ctx, "m", []int{1}, func(*durable.Context, int, int, []int) (int, error) { return 0, nil }, tt.opt)
				if !errors.Is(err, durable.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
					return "", fmt.Errorf("got %v, want ErrInvalidArgument mentioning %q", err, tt.want)
				}
				return "ok", nil
			})
			wantResult(t, run(t, h, nil), `"ok"`)
		})
	}
}

func TestAtMostOnceStepIsNotReRunAfterACrash(t *testing.T) {
	var runs atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		_, err := durable.Step(ctx, "charge", func(sc *durable.StepContext) (int, error) {
			runs.Add(1)
			durabletest.Crash(sc.Context())
			return 1, nil
		}, durable.WithAtMostOncePerRetry(), durable.WithRetryStrategy(durable.NoRetry))
		var opErr *durable.OperationError
		if errors.As(err, &opErr) && opErr.ErrorObject.ErrorType == "StepInterruptedError" && errors.Is(err, durable.ErrStepInterrupted) {
			return "interrupted", nil
		}
		return "", fmt.Errorf("got %v, want an *OperationError matching ErrStepInterrupted", err)
	})
	exec := run(t, h, nil)
	wantResult(t, exec, `"interrupted"`)
	if runs.Load() != 1 {
		t.Errorf("at-most-once body ran %d times, want 1", runs.Load())
	}
}

// failingService fails every checkpoint with err.
type failingService struct{ err error }

func (s failingService) Checkpoint(context.Context, protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	return nil, s.err
}

func (s failingService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return nil, s.err
}

func TestCheckpointFailuresAreClassified(t *testing.T) {
	const event = `{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t",
		"InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`
	tests := []struct {
		name        string
		err         error
		wantInvoke  bool // a Lambda error, so that the service re-invokes
		wantMessage string
	}{
		{"throttled", &protocol.APIError{Operation: "CheckpointDurableExecution", Code: "TooManyRequestsException", StatusCode: 429}, true, "TooManyRequests"},
		{"stale token", &protocol.APIError{Operation: "CheckpointDurableExecution", Code: "InvalidParameterValueException", Message: "Invalid Checkpoint Token", StatusCode: 400}, true, "Invalid Checkpoint Token"},
		{"bad request", &protocol.APIError{Operation: "CheckpointDurableExecution", Code: "InvalidParameterValueException", Message: "payload too large", StatusCode: 400}, false, "payload too large"},
	}
	for _, tt := range tests {
		// A synchronous step stops user code at the failed checkpoint; a
		// queued outcome lets it run on, and the failure still ends the
		// invocation the same way before anything returns to Lambda.
		for _, sync := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/sync=%v", tt.name, sync), func(t *testing.T) {
				var after atomic.Bool
				var opts []durable.StepOption
				if sync {
					opts = append(opts, durable.WithStepSync())
				}
				fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
					v, err := durable.Step(ctx, "s", func(*durable.StepContext) (int, error) { return 1, nil }, opts...)
					after.Store(true) // a synchronous step must not get here: its result was never checkpointed
					return v, err
				}, durable.WithServiceForTest(failingService{tt.err}))
				out, err := fn.Handle(context.Background(), []byte(event))
				if sync && after.Load() {
					t.Error("user code continued after a failed synchronous checkpoint")
				}
				checkFailure(t, out, err, tt.wantInvoke, tt.wantMessage)
			})
		}
	}
}

// checkFailure checks how an invocation whose checkpoints failed ended.
func checkFailure(t *testing.T, out *protocol.InvocationOutput, err error, wantInvoke bool, wantMessage string) {
	t.Helper()
	if wantInvoke {
		if err == nil || !strings.Contains(err.Error(), wantMessage) || !errors.As(err, new(*protocol.APIError)) {
			t.Fatalf("Handle = %+v, %v; want a Lambda error wrapping the APIError", out, err)
		}
		return
	}
	if err != nil || out.Status != protocol.InvocationFailed || !strings.Contains(out.Error.ErrorMessage, wantMessage) {
		t.Fatalf("Handle = %+v, %v; want a FAILED envelope naming the error", out, err)
	}
}

func TestSDKLogsReportCheckpointsPerArea(t *testing.T) {
	var buf lockedBuffer
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "s", func(*durable.StepContext) (int, error) { return 1, nil })
	},
		durable.WithSDKLogHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		durable.WithSDKLogLevel("checkpoint", slog.LevelDebug))
	wantResult(t, run(t, h, nil), "1")
	out := buf.b.String()
	if !strings.Contains(out, `"msg":"checkpoint sent"`) || !strings.Contains(out, `"logger":"durable.checkpoint"`) {
		t.Errorf("SDK logs = %q, want a durable.checkpoint debug record", out)
	}
	if strings.Contains(out, `"invocation started"`) {
		t.Errorf("the execution area logged below its default WARN level: %q", out)
	}
}
