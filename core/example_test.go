package durable_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// runExample runs fn on the local runner and prints its outcome.
func runExample[In, Out any](fn func(*durable.Context, In) (Out, error), input In, opts ...durabletest.Option) *durabletest.Execution {
	exec, err := durabletest.NewRunner(durable.Handler(fn), opts...).Run(context.Background(), input)
	if err != nil {
		fmt.Println("run:", err)
		return exec
	}
	fmt.Printf("%s %s after %d invocations\n", exec.Status(), *exec.Result(), len(exec.Invocations()))
	return exec
}

func ExampleHandler() {
	greet := func(ctx *durable.Context, name string) (string, error) {
		return durable.Step(ctx, "greet", func(*durable.StepContext) (string, error) {
			return "Hello, " + name + "!", nil
		})
	}
	// In main: lambda.Start(durable.Handler(greet))
	runExample(greet, "World")
	// Output: SUCCEEDED "Hello, World!" after 1 invocations
}

func ExampleStep() {
	charge := func(ctx *durable.Context, amount int) (string, error) {
		return durable.Step(ctx, "charge", func(sc *durable.StepContext) (string, error) {
			if sc.Attempt() < 2 {
				return "", errors.New("gateway timeout") // retried in a later invocation
			}
			return fmt.Sprintf("charged %d on attempt %d", amount, sc.Attempt()), nil
		}, durable.WithRetryStrategy(durable.ExponentialRetry(durable.RetryConfig{MaxAttempts: 3, Jitter: durable.JitterNone})))
	}
	runExample(charge, 42)
	// Output: SUCCEEDED "charged 42 on attempt 2" after 2 invocations
}

func ExampleWait() {
	remind := func(ctx *durable.Context, _ any) (string, error) {
		if err := durable.Wait(ctx, "a day later", 24*time.Hour); err != nil {
			return "", err
		}
		return "reminded", nil
	}
	exec := runExample(remind, nil)
	fmt.Println(exec.Invocations()[1].Start.Sub(exec.Invocations()[0].Start))
	// Output:
	// SUCCEEDED "reminded" after 2 invocations
	// 24h0m0s
}

func ExampleRunInChildContext() {
	ship := func(ctx *durable.Context, parcel string) (string, error) {
		return durable.RunInChildContext(ctx, "ship", func(c *durable.Context) (string, error) {
			label, err := durable.Step(c, "label", func(*durable.StepContext) (string, error) { return "LBL-" + parcel, nil })
			if err != nil {
				return "", err
			}
			return label + " picked up", nil
		})
	}
	runExample(ship, "p1")
	// Output: SUCCEEDED "LBL-p1 picked up" after 1 invocations
}

func ExampleCreateCallback() {
	approve := func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval", durable.WithCallbackTimeout(time.Hour))
		if err != nil {
			return "", err
		}
		// Hand cb.ID() to the approver, e.g. in a step that sends an email.
		return cb.Result()
	}
	ctx := context.Background()
	exec, _ := durabletest.NewRunner(durable.Handler(approve)).Start(ctx, nil)
	id := exec.Callbacks()[0].CallbackDetails.CallbackID
	_ = exec.SendCallbackSuccess(ctx, id, []byte("approved by Ada")) // what the approver's system does
	_ = exec.RunToCompletion(ctx)
	fmt.Println(exec.Status(), *exec.Result())
	// Output: SUCCEEDED "approved by Ada"
}

func ExampleWaitForCallback() {
	review := func(ctx *durable.Context, doc string) (string, error) {
		return durable.WaitForCallback[string](ctx, "review", func(sc *durable.StepContext, callbackID string) error {
			// Open a ticket carrying callbackID; the reviewer's tool completes it.
			return nil
		})
	}
	ctx := context.Background()
	exec, _ := durabletest.NewRunner(durable.Handler(review)).Start(ctx, "spec.md")
	_ = exec.SendCallbackSuccess(ctx, exec.Callbacks()[0].CallbackDetails.CallbackID, []byte("lgtm"))
	_ = exec.RunToCompletion(ctx)
	fmt.Println(exec.Status(), *exec.Result())
	// Output: SUCCEEDED "lgtm"
}

func ExampleInvoke() {
	double := func(_ *durable.Context, n int) (int, error) { return 2 * n, nil }
	caller := func(ctx *durable.Context, n int) (int, error) {
		return durable.Invoke[int](ctx, "double", "double:$LATEST", n)
	}
	runExample(caller, 21, durabletest.WithInvokeTarget("double", durable.Handler(double)))
	// Output: SUCCEEDED 42 after 2 invocations
}

func ExampleWaitForCondition() {
	poll := func(ctx *durable.Context, _ any) (int, error) {
		return durable.WaitForCondition(ctx, "export", 0, func(_ *durable.StepContext, progress int) (int, error) {
			return progress + 50, nil // ask the export job how far it is
		}, durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[int]{
			ShouldContinue: func(progress int) bool { return progress < 100 },
		}))
	}
	runExample(poll, nil)
	// Output: SUCCEEDED 100 after 2 invocations
}

func ExampleMap() {
	upper := func(ctx *durable.Context, words []string) (string, error) {
		res, err := durable.Map(ctx, "upper", words, func(c *durable.Context, w string, _ int, _ []string) (string, error) {
			return durable.Step(c, "upper", func(*durable.StepContext) (string, error) { return strings.ToUpper(w), nil })
		}, durable.WithMaxConcurrency(2))
		if err != nil {
			return "", err
		}
		return strings.Join(res.Results(), " ") + " (" + string(res.CompletionReason) + ")", res.Err()
	}
	runExample(upper, []string{"durable", "go"})
	// Output: SUCCEEDED "DURABLE GO (ALL_COMPLETED)" after 1 invocations
}

func ExampleParallel() {
	checks := func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "checks", []durable.Branch[string]{
			{Name: "fraud", Func: func(*durable.Context) (string, error) { return "ok", nil }},
			{Name: "stock", Func: func(*durable.Context) (string, error) { return "", errors.New("out of stock") }},
		}, durable.WithToleratedFailurePercentage(100))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d ok, %d failed: %v", res.SuccessCount(), res.FailureCount(), res.Errors()), nil
	}
	runExample(checks, nil)
	// Output: SUCCEEDED "1 ok, 1 failed: [out of stock]" after 1 invocations
}

func ExampleContext_Logger() {
	fn := func(ctx *durable.Context, _ any) (string, error) {
		// Any LoggerInterface: an adapter's, or log/slog through logsink.NewSlogLogger.
		ctx.SetLogger(logsink.NewSlogLogger(slog.NewJSONHandler(io.Discard, nil)))
		ctx.Logger().Info("before the wait") // printed once, though the handler runs twice
		if err := durable.Wait(ctx, "", time.Minute); err != nil {
			return "", err
		}
		ctx.Logger().Info("after the wait")
		return "done", nil
	}
	exec := runExample(fn, nil)
	for _, r := range exec.Logs() {
		fmt.Printf("invocation %d: %q printed=%v\n", r.Invocation, r.Message, r.Emitted)
	}
	// Output:
	// SUCCEEDED "done" after 2 invocations
	// invocation 1: "before the wait" printed=true
	// invocation 2: "before the wait" printed=false
	// invocation 2: "after the wait" printed=true
}
