package durable_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// runMisuse runs fn on the local runner and checks that the execution
// failed with a MisuseError mentioning every string of want.
func runMisuse(t *testing.T, fn *durable.Function, want ...string) *durabletest.Execution {
	t.Helper()
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if exec.Status() != "FAILED" {
		t.Fatalf("execution %s, want FAILED with a misuse error (result %v)", exec.Status(), exec.Result())
	}
	e := exec.Error()
	if e == nil || e.ErrorType != "MisuseError" {
		t.Fatalf("execution error %+v, want ErrorType MisuseError", e)
	}
	for _, w := range want {
		if !strings.Contains(e.ErrorMessage, w) {
			t.Errorf("error message %q does not mention %q", e.ErrorMessage, w)
		}
	}
	return exec
}

//durable:ignore concurrency the misuse is what this test checks the runtime rejects
func TestOperationFromForeignGoroutineFails(t *testing.T) {
	var opErr error
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			opErr = durable.Wait(ctx, "w", time.Minute)
		}()
		wg.Wait()
		return "done", nil
	})
	exec := runMisuse(t, fn, `Wait "w"`, "goroutine", "Map or Parallel")
	if !errors.Is(opErr, durable.ErrWrongGoroutine) {
		t.Errorf("Wait returned %v, want ErrWrongGoroutine", opErr)
	}
	if opErr == nil || !strings.Contains(opErr.Error(), `Wait "w"`) {
		t.Errorf("Wait returned %v, want an error naming the wait", opErr)
	}
	if _, ok := exec.FindOperation("w"); ok {
		t.Error("the misused wait was checkpointed")
	}
}

// A goroutine calling a step while the handler blocks on a channel: the
// step returns the error at once, so the handler is never stuck, and the
// step body does not run.
//
//durable:ignore concurrency the misuse is what this test checks the runtime rejects
func TestStepFromForeignGoroutineDoesNotRun(t *testing.T) {
	ran := 0
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ch := make(chan error)
		go func() {
			_, err := durable.Step(ctx, "charge", func(*durable.StepContext) (int, error) { ran++; return 1, nil })
			ch <- err
		}()
		if err := <-ch; err != nil {
			return 0, nil // swallowing the error does not hide the misuse
		}
		return 1, nil
	})
	runMisuse(t, fn, `Step "charge"`, "goroutine")
	if ran != 0 {
		t.Errorf("the step body ran %d times from a foreign goroutine", ran)
	}
}

// After a misuse every later operation fails too: nothing else runs.
//
//durable:ignore concurrency the misuse is what this test checks the runtime rejects
func TestOperationsAfterMisuseDoNothing(t *testing.T) {
	after := 0
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		done := make(chan struct{})
		go func() { defer close(done); _ = durable.Wait(ctx, "w", time.Minute) }()
		<-done
		_, err := durable.Step(ctx, "after", func(*durable.StepContext) (int, error) { after++; return 1, nil })
		if !errors.Is(err, durable.ErrWrongGoroutine) {
			t.Errorf("later Step returned %v, want the misuse error", err)
		}
		return 1, nil
	})
	runMisuse(t, fn, `Wait "w"`)
	if after != 0 {
		t.Errorf("a step after the misuse ran %d times", after)
	}
}

//durable:ignore outerctx the misuse is what this test checks the runtime rejects
func TestParentContextInsideChildFails(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
			return durable.Step(ctx, "inner", func(*durable.StepContext) (int, error) { return 1, nil })
		})
	})
	runMisuse(t, fn, `Step "inner"`, `RunInChildContext "child"`, "use the Context the function receives")
}

//durable:ignore outerctx the misuse is what this test checks the runtime rejects
func TestParentContextInsideMapItemFails(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "m", []int{1, 2}, func(_ *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(ctx, "inner", func(*durable.StepContext) (int, error) { return item, nil })
		})
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	})
	runMisuse(t, fn, `Step "inner"`, "goroutine", "Map or Parallel")
}

//durable:ignore outerctx the misuse is what this test checks the runtime rejects
func TestParentContextInsideParallelBranchFails(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Parallel(ctx, "p", []durable.Branch[int]{
			{Name: "b", Func: func(*durable.Context) (int, error) { return 1, durable.Wait(ctx, "w", time.Second) }},
		})
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	})
	runMisuse(t, fn, `Wait "w"`, "goroutine")
}

//durable:ignore stepctx the misuse is what this test checks the runtime rejects
func TestOperationInsideStepBodyFails(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "outer", func(*durable.StepContext) (int, error) {
			return 0, durable.Wait(ctx, "w", time.Second)
		})
	})
	runMisuse(t, fn, `Wait "w"`, `Step "outer" is running`)
}

//durable:ignore outerctx the misuse is what this test checks the runtime rejects
func TestChildContextUsedAfterItsFunctionReturnedFails(t *testing.T) {
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		var kept *durable.Context
		if _, err := durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
			kept = child
			return 1, nil
		}); err != nil {
			return 0, err
		}
		return durable.Step(kept, "late", func(*durable.StepContext) (int, error) { return 2, nil })
	})
	runMisuse(t, fn, `Step "late"`, "has returned")
}

// A goroutine that outlives the handler: its operation returns
// ErrContextDone, runs nothing and checkpoints nothing.
//
//durable:ignore concurrency the misuse is what this test checks the runtime rejects
func TestContextUsedAfterHandlerReturnedFails(t *testing.T) {
	release := make(chan struct{})
	result := make(chan error, 1)
	ran := 0
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		go func() {
			<-release
			_, err := durable.Step(ctx, "late", func(*durable.StepContext) (int, error) { ran++; return 1, nil })
			result <- err
		}()
		return "ok", nil
	})
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("Run: %v, status %s", err, exec.Status())
	}
	close(release)
	err = <-result
	if !errors.Is(err, durable.ErrContextDone) || !strings.Contains(err.Error(), `Step "late"`) {
		t.Errorf("late Step returned %v, want ErrContextDone naming the step", err)
	}
	if ran != 0 {
		t.Error("the late step's body ran")
	}
	if _, ok := exec.FindOperation("late"); ok {
		t.Error("the late step was checkpointed")
	}
}

func TestStepContextEndsWithItsBody(t *testing.T) {
	var kept context.Context
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			kept = sc.Context()
			if kept.Err() != nil {
				t.Errorf("the step's context is done while its body runs: %v", kept.Err())
			}
			return 1, nil
		})
	})
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("Run: %v, status %s", err, exec.Status())
	}
	if kept.Err() == nil {
		t.Fatal("a StepContext's Go context is still live after its step returned")
	}
	cause := context.Cause(kept)
	if !errors.Is(cause, durable.ErrContextDone) || !strings.Contains(cause.Error(), `Step "s"`) {
		t.Errorf("cause %v, want ErrContextDone naming the step", cause)
	}
}

// A StepContext kept and asked for its Go context only after the step.
func TestStepContextAskedAfterItsBody(t *testing.T) {
	var kept *durable.StepContext
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) { kept = sc; return 1, nil })
	})
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := kept.Context().Err(); err == nil {
		t.Error("a StepContext's Go context is live when first asked for after its step")
	}
}
