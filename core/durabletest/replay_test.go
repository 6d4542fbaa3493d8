package durabletest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// replayFlow is a workflow with every kind of operation. change alters it
// the way a deploy might.
type replayFlow struct {
	change string
	bodies atomic.Int64 // step bodies run
}

func (f *replayFlow) handler() *durable.Function {
	return durable.Handler(func(ctx *durable.Context, in string) (string, error) {
		step := func(c *durable.Context, name string) (string, error) {
			return durable.Step(c, name, func(*durable.StepContext) (string, error) {
				f.bodies.Add(1)
				return name + "-" + in, nil
			})
		}
		a, err := step(ctx, "validate")
		if err != nil {
			return "", err
		}
		if f.change == "insert" {
			if _, err := step(ctx, "audit"); err != nil {
				return "", err
			}
		}
		if err := durable.Wait(ctx, "cool-down", time.Minute); err != nil {
			return "", err
		}
		approval, err := durable.WaitForCallback[string](ctx, "approval", func(*durable.StepContext, string) error { return nil })
		if err != nil {
			return "", err
		}
		price, err := durable.Invoke[string](ctx, "price", "pricer", in)
		if err != nil {
			return "", err
		}
		childName, inner := "reserve", "hold"
		switch f.change {
		case "rename":
			childName = "reserve-v2"
		case "rename inside a completed child":
			inner = "hold-v2"
		}
		child, err := durable.RunInChildContext(ctx, childName, func(c *durable.Context) (string, error) {
			return step(c, inner)
		})
		if err != nil {
			return "", err
		}
		items, err := durable.Map(ctx, "lines", []int{1, 2, 3}, func(c *durable.Context, v, _ int, _ []int) (int, error) {
			return durable.Step(c, "line", func(*durable.StepContext) (int, error) { f.bodies.Add(1); return v * 10, nil })
		})
		if err != nil {
			return "", err
		}
		par, err := durable.Parallel(ctx, "notify", []durable.Branch[string]{
			{Name: "mail", Func: func(c *durable.Context) (string, error) { return step(c, "send-mail") }},
			{Name: "sms", Func: func(c *durable.Context) (string, error) { return step(c, "send-sms") }},
		})
		if err != nil {
			return "", err
		}
		if f.change != "drop" {
			if _, err := step(ctx, "close"); err != nil {
				return "", err
			}
		}
		out := strings.Join([]string{a, approval, price, child}, "|")
		if f.change == "result" {
			out += "!"
		}
		_ = items
		_ = par
		return out, nil
	})
}

// record runs the workflow once and returns its history as the JSON of
// GetDurableExecutionHistory.
func record(t *testing.T) []byte {
	t.Helper()
	pricer := durable.Handler(func(ctx *durable.Context, in string) (string, error) { return "price-of-" + in, nil })
	f := &replayFlow{}
	ctx := context.Background()
	exec, err := durabletest.NewRunner(f.handler(), durabletest.WithInvokeTarget("pricer", pricer)).Start(ctx, "order-42")
	if err != nil {
		t.Fatal(err)
	}
	for exec.Status() == durabletest.ExecutionRunning {
		if err := exec.RunToCompletion(ctx); err != nil && !errors.Is(err, durabletest.ErrBlocked) {
			t.Fatal(err)
		}
		for _, cb := range exec.Callbacks() {
			if cb.Status == protocol.StatusStarted {
				if err := exec.SendCallbackSuccess(ctx, cb.CallbackDetails.CallbackID, []byte("approved")); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if exec.Status() != durabletest.ExecutionSucceeded {
		t.Fatalf("recording: %s %+v", exec.Status(), exec.Error())
	}
	b, err := json.Marshal(map[string]any{"Events": exec.History()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplayHistoryAcceptsTheSameCode(t *testing.T) {
	history := record(t)
	f := &replayFlow{}
	if err := durabletest.ReplayHistory(context.Background(), history, f.handler()); err != nil {
		t.Fatalf("ReplayHistory: %v", err)
	}
	if n := f.bodies.Load(); n != 0 {
		t.Errorf("replaying ran %d step bodies, want none", n)
	}
}

func TestReplayHistoryCatchesChangedCode(t *testing.T) {
	history := record(t)
	tests := []struct {
		change string
		want   []string
	}{
		{"rename", []string{`recorded CONTEXT/RunInChildContext "reserve"`, `code called CONTEXT/RunInChildContext "reserve-v2"`, "call 5 of its context"}},
		{"insert", []string{`recorded WAIT/Wait "cool-down"`, `code called STEP/Step "audit"`, "call 2 of its context"}},
		{"drop", []string{`recorded STEP/Step "close"`, "the code returned without calling it"}},
		{"result", []string{"ending result", `order-42"`, `order-42!"`}},
	}
	for _, tt := range tests {
		t.Run(tt.change, func(t *testing.T) {
			f := &replayFlow{change: tt.change}
			err := durabletest.ReplayHistory(context.Background(), history, f.handler())
			var nd *durable.NonDeterministicError
			var re *durabletest.ReplayError
			if !errors.As(err, &nd) || !errors.As(err, &re) {
				t.Fatalf("ReplayHistory error %v, want a ReplayError with a NonDeterministicError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if f.bodies.Load() != 0 {
				t.Errorf("replaying ran %d step bodies, want none", f.bodies.Load())
			}
		})
	}
}

// A completed child context returns its recorded result without running
// its function again, so code changed inside it cannot diverge.
func TestReplayHistoryIgnoresChangesInsideCompletedChildren(t *testing.T) {
	f := &replayFlow{change: "rename inside a completed child"}
	if err := durabletest.ReplayHistory(context.Background(), record(t), f.handler()); err != nil {
		t.Fatalf("ReplayHistory: %v", err)
	}
}

// A child whose result is too large to checkpoint (ReplayChildren) keeps
// only an empty summary in the history: the replay re-runs it from its
// children, so it succeeds on the same code and catches a change inside.
func TestReplayHistoryReplaysLargeChildrenFromTheirOperations(t *testing.T) {
	handler := func(inner string) *durable.Function {
		return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			big, err := durable.RunInChildContext(ctx, "big", func(c *durable.Context) (string, error) {
				n, err := durable.Step(c, inner, func(*durable.StepContext) (int, error) { return 300 << 10, nil })
				return strings.Repeat("x", n), err
			})
			if err != nil {
				return 0, err
			}
			if err := durable.Wait(ctx, "pause", time.Second); err != nil {
				return 0, err
			}
			return len(big), nil
		})
	}
	exec, err := durabletest.NewRunner(handler("size")).Run(context.Background(), nil)
	if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
		t.Fatalf("recording: %v %s", err, exec.Status())
	}
	history, err := json.Marshal(exec.History())
	if err != nil {
		t.Fatal(err)
	}
	if err := durabletest.ReplayHistory(context.Background(), history, handler("size")); err != nil {
		t.Errorf("same code: %v", err)
	}
	err = durabletest.ReplayHistory(context.Background(), history, handler("measure"))
	var nd *durable.NonDeterministicError
	if !errors.As(err, &nd) || !strings.Contains(nd.Called, "measure") {
		t.Errorf("renamed step inside the large child: %v, want a NonDeterministicError naming it", err)
	}
}

// A map or parallel whose result was too large to checkpoint stored a
// summary instead (protocol §8.6): replay rebuilds it from its items, each
// from its record, or by re-running it (whose code is then checked too)
// when the item's own result was too large as well.
func TestReplayHistoryReplaysLargeBatchesFromTheirItems(t *testing.T) {
	handler := func(inner string, parallel bool, size int) *durable.Function {
		return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			item := func(c *durable.Context) (string, error) {
				n, err := durable.Step(c, inner, func(*durable.StepContext) (int, error) { return size, nil })
				return strings.Repeat("x", n), err
			}
			var r *durable.BatchResult[string]
			var err error
			if parallel {
				r, err = durable.Parallel(ctx, "both", []durable.Branch[string]{{Func: item}, {Func: item}})
			} else {
				r, err = durable.Map(ctx, "each", []int{1, 2}, func(c *durable.Context, _, _ int, _ []int) (string, error) { return item(c) })
			}
			if err != nil {
				return 0, err
			}
			if err := durable.Wait(ctx, "pause", time.Second); err != nil {
				return 0, err
			}
			return r.SuccessCount(), r.Err()
		})
	}
	for _, parallel := range []bool{false, true} {
		// 200 KiB items are stored, their batch is not; 300 KiB items are
		// not stored either.
		for _, size := range []int{200 << 10, 300 << 10} {
			exec, err := durabletest.NewRunner(handler("size", parallel, size)).Run(context.Background(), nil)
			if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
				t.Fatalf("parallel=%v size=%d: recording: %v %s", parallel, size, err, exec.Status())
			}
			history, err := json.Marshal(exec.History())
			if err != nil {
				t.Fatal(err)
			}
			if err := durabletest.ReplayHistory(context.Background(), history, handler("size", parallel, size)); err != nil {
				t.Errorf("parallel=%v size=%d: same code: %v", parallel, size, err)
			}
			if size < 256<<10 {
				continue // the items replay from their records: their code does not run
			}
			err = durabletest.ReplayHistory(context.Background(), history, handler("measure", parallel, size))
			var nd *durable.NonDeterministicError
			if !errors.As(err, &nd) || !strings.Contains(nd.Called, "measure") {
				t.Errorf("parallel=%v size=%d: renamed step inside a large item: %v, want a NonDeterministicError naming it", parallel, size, err)
			}
		}
	}
}

func TestReplayHistoryRejectsBadHistories(t *testing.T) {
	for name, h := range map[string]string{
		"not json":           `{`,
		"no start":           `{"Events":[{"EventId":1,"EventType":"StepStarted","Id":"x","SubType":"Step"}]}`,
		"without data":       `{"Events":[{"EventId":1,"EventType":"ExecutionStarted","Id":"x","ExecutionStartedDetails":{"Input":{"Truncated":true}}}]}`,
		"unknown event type": `[{"EventId":1,"EventType":"ExecutionStarted","Id":"x"},{"EventId":2,"EventType":"TimerStarted","Id":"y"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			f := &replayFlow{}
			if err := durabletest.ReplayHistory(context.Background(), []byte(h), f.handler()); !errors.Is(err, durabletest.ErrInvalidHistory) {
				t.Errorf("ReplayHistory error %v, want ErrInvalidHistory", err)
			}
		})
	}
}
