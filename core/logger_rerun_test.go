package durable_test

import (
	"context"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// bigString is over the 256 KiB a context result may take in a checkpoint:
// a construct returning it re-runs its body on replay to rebuild it.
var bigString = strings.Repeat("x", 300*1024)

// wantPrintedOnce checks that each message was emitted exactly once over
// the whole execution.
func wantPrintedOnce(t *testing.T, exec *durabletest.Execution, msgs ...string) {
	t.Helper()
	wantPrinted(t, exec, 1, msgs...)
}

// wantPrinted checks each of msgs was printed n times across the
// execution's invocations.
func wantPrinted(t *testing.T, exec *durabletest.Execution, n int, msgs ...string) {
	t.Helper()
	emitted := map[string]int{}
	for _, r := range exec.EmittedLogs() {
		emitted[r.Message]++
	}
	for _, m := range msgs {
		if emitted[m] != n {
			t.Errorf("%q printed %d times across %d invocations, want %d", m, emitted[m], len(exec.Invocations()), n)
		}
	}
}

// wantReRunPrintsOnce runs h, a handler whose result is 2 after a second
// invocation re-runs part of it, and checks msg printed once.
func wantReRunPrintsOnce(t *testing.T, h durabletest.Handler, msg string) {
	t.Helper()
	exec := run(t, h, nil)
	wantResult(t, exec, "2")
	if n := len(exec.Invocations()); n < 2 {
		t.Fatalf("%d invocations, want a re-run on a second one", n)
	}
	wantPrintedOnce(t, exec, msg)
}

// Every construct that re-runs user code after it completed (to rebuild a
// result over 256 KiB) replays that code to its last line: a line after the
// construct's last operation prints once, on the first run.
func TestLargeResultReRunIsReplay(t *testing.T) {
	t.Run("child", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			v, err := durable.RunInChildContext(ctx, "big", func(c *durable.Context) (string, error) {
				c.Logger().Info("child before step")
				s, err := durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString, nil })
				c.Logger().Info("child after last operation")
				return s, err
			})
			if err != nil {
				return 0, err
			}
			return len(v), durable.Wait(ctx, "", time.Second)
		})
		exec := run(t, h, nil)
		wantResult(t, exec, "307200")
		wantPrintedOnce(t, exec, "child before step", "child after last operation")
	})
	t.Run("nested child in a re-run child", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			v, err := durable.RunInChildContext(ctx, "outer", func(c *durable.Context) (string, error) {
				s, err := durable.RunInChildContext(c, "inner", func(c *durable.Context) (string, error) {
					s, err := durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString, nil })
					c.Logger().Info("inner after last operation")
					return s, err
				})
				c.Logger().Info("outer after last operation")
				return s, err
			})
			if err != nil {
				return 0, err
			}
			return len(v), durable.Wait(ctx, "", time.Second)
		})
		exec := run(t, h, nil)
		wantResult(t, exec, "307200")
		wantPrintedOnce(t, exec, "inner after last operation", "outer after last operation")
	})
	t.Run("map", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			res, err := durable.Map(ctx, "items", []int{0, 1}, func(c *durable.Context, item, _ int, _ []int) (string, error) {
				s, err := durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString[:200*1024], nil })
				c.Logger().Info("item after last operation", "item", item)
				return s, err
			})
			if err != nil {
				return 0, err
			}
			ctx.Logger().Info("map returned")
			return res.SuccessCount(), durable.Wait(ctx, "", time.Second)
		})
		exec := run(t, h, nil)
		wantResult(t, exec, "2")
		wantPrinted(t, exec, 2, "item after last operation") // once per item
		wantPrintedOnce(t, exec, "map returned")
	})
	// An item whose own result is over 256 KiB re-runs on the next
	// invocation while its batch is still running (another item waits):
	// its body is replay, though the batch itself has not completed.
	t.Run("map item while the map runs", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			res, err := durable.Map(ctx, "items", []int{0, 1}, func(c *durable.Context, item, _ int, _ []int) (string, error) {
				if item == 1 {
					return "", durable.Wait(c, "hold", time.Second)
				}
				s, err := durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString, nil })
				c.Logger().Info("big item after last operation")
				return s, err
			})
			if err != nil {
				return 0, err
			}
			return res.SuccessCount(), nil
		})
		wantReRunPrintsOnce(t, h, "big item after last operation")
	})
	t.Run("parallel branch while the parallel runs", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			res, err := durable.Parallel(ctx, "both", []durable.Branch[string]{
				{Name: "big", Func: func(c *durable.Context) (string, error) {
					s, err := durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString, nil })
					c.Logger().Info("big branch after last operation")
					return s, err
				}},
				{Name: "waits", Func: func(c *durable.Context) (string, error) {
					return "", durable.Wait(c, "hold", time.Second)
				}},
			})
			if err != nil {
				return 0, err
			}
			return res.SuccessCount(), nil
		})
		wantReRunPrintsOnce(t, h, "big branch after last operation")
	})
	t.Run("parallel", func(t *testing.T) {
		branch := func(name string) durable.Branch[string] {
			return durable.Branch[string]{Name: name, Func: func(c *durable.Context) (string, error) {
				s, err := durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString[:200*1024], nil })
				c.Logger().Info("branch " + name + " after last operation")
				return s, err
			}}
		}
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			res, err := durable.Parallel(ctx, "both", []durable.Branch[string]{branch("a"), branch("b")})
			if err != nil {
				return 0, err
			}
			return res.SuccessCount(), durable.Wait(ctx, "", time.Second)
		})
		exec := run(t, h, nil)
		wantResult(t, exec, "2")
		wantPrintedOnce(t, exec, "branch a after last operation", "branch b after last operation")
	})
	t.Run("wait for callback", func(t *testing.T) {
		h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			v, err := durable.WaitForCallback[string](ctx, "approval", func(sc *durable.StepContext, id string) error {
				sc.Logger().Info("submitted")
				return nil
			})
			if err != nil {
				return 0, err
			}
			ctx.Logger().Info("callback returned")
			return len(v), durable.Wait(ctx, "", time.Second)
		})
		ctx := context.Background()
		exec, err := durabletest.NewRunner(h).Start(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(exec.Callbacks()) != 1 {
			t.Fatalf("%d callbacks, want 1", len(exec.Callbacks()))
		}
		// A result within the callback API's 256 KiB whose JSON, as the
		// callback's context result, is over 256 KiB: encoding/json writes
		// each '<' as six bytes.
		result := `"` + strings.Repeat("<", 50*1024) + `"`
		if err := exec.SendCallbackSuccess(ctx, exec.Callbacks()[0].CallbackDetails.CallbackID, []byte(result)); err != nil {
			t.Fatal(err)
		}
		if err := exec.RunToCompletion(ctx); err != nil {
			t.Fatal(err)
		}
		if exec.Status() != "SUCCEEDED" {
			t.Fatalf("status = %s (error %+v), want SUCCEEDED", exec.Status(), exec.Error())
		}
		replayed := false
		for _, op := range exec.Operations() {
			if op.Type == protocol.OperationTypeContext && op.ContextDetails != nil && op.ContextDetails.ReplayChildren {
				replayed = true
			}
		}
		if !replayed {
			t.Fatal("the callback's context result was stored: the test needs one too large to store")
		}
		wantPrintedOnce(t, exec, "submitted", "callback returned")
	})
}
