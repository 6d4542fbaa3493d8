package handlers

import (
	"errors"
	"fmt"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// stepEntries returns the handlers of the step suite (requirement ids 1-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func stepEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"1-1":  handlerEntry(stepGreet("greet")),
		"1-2":  handlerEntry(stepGreet("custom_step_name")),
		"1-4":  handlerEntry(stepComplexObject),
		"1-5":  handlerEntry(stepNullResult),
		"1-6":  handlerEntry(stepCustomSerdes),
		"1-7":  handlerEntry(stepContextLogger),
		"1-9":  handlerEntry(stepReplaySucceeded),
		"1-10": handlerEntry(stepReplayFailed),
		"1-11": handlerEntry(stepRetryThenSucceed),
		"1-12": handlerEntry(stepRetryExhaustion),
		"1-14": handlerEntry(stepRetryBackoff),
		"1-15": handlerEntry(stepTransient(retryOnTransient)),
		"1-16": handlerEntry(stepTransient(durable.NoRetry)),
		"1-17": handlerEntry(stepAtMostOnceCrash),
		"1-19": handlerEntry(stepFailPermanently),
		"1-20": handlerEntry(stepErrorCaught),
	}
}

// stepGreet returns a handler running one step, named name, that greets
// the input.
func stepGreet(name string) func(*durable.Context, string) (string, error) {
	return func(ctx *durable.Context, who string) (string, error) {
		return durable.Step(ctx, name, func(*durable.StepContext) (string, error) {
			return "Hello, " + who + "!", nil
		})
	}
}

type stepProfile struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

type stepResponse struct {
	User  stepProfile `json:"user"`
	Count int         `json:"count"`
}

// stepComplexObject: a step returns a nested object with arrays and mixed
// types (1-4).
func stepComplexObject(ctx *durable.Context, in stepProfile) (stepResponse, error) {
	return durable.Step(ctx, "build_response", func(*durable.StepContext) (stepResponse, error) {
		return stepResponse{User: in, Count: len(in.Tags)}, nil
	})
}

// stepNullResult: a step returns null (1-5).
func stepNullResult(ctx *durable.Context, _ any) (any, error) {
	return durable.Step(ctx, "do_nothing", func(*durable.StepContext) (any, error) {
		return nil, nil
	})
}

// stepCustomSerdes: the step's serdes upper-cases strings (1-6).
func stepCustomSerdes(ctx *durable.Context, in string) (string, error) {
	return durable.Step(ctx, "return_input", func(*durable.StepContext) (string, error) {
		return in, nil
	}, durable.WithSerdes(uppercaseSerdes))
}

// stepContextLogger: the step body logs through the step logger (1-7).
func stepContextLogger(ctx *durable.Context, who string) (string, error) {
	return durable.Step(ctx, "greet", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("Greeting step started for: " + who)
		greeting := "Hello, " + who + "!"
		sc.Logger().Info("Greeting step completed with: " + greeting)
		return greeting, nil
	})
}

// stepReplaySucceeded: a succeeded step followed by a wait; on replay the
// step returns its checkpointed result (1-9).
func stepReplaySucceeded(ctx *durable.Context, _ any) (string, error) {
	v, err := durable.Step(ctx, "cached_step", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("step executed")
		return "cached_value", nil
	})
	if err != nil {
		return "", err
	}
	return v, durable.Wait(ctx, "", time.Second)
}

// stepReplayFailed: a failed step whose error is caught, followed by a
// wait; on replay the step returns the same error again (1-10).
func stepReplayFailed(ctx *durable.Context, _ any) (any, error) {
	_, err := durable.Step(ctx, "failing_step", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("step executed")
		return "", errors.New("step failed permanently")
	}, durable.WithRetryStrategy(durable.NoRetry))
	var opErr *durable.OperationError
	if !errors.As(err, &opErr) {
		return nil, fmt.Errorf("step error was not returned: %w", err)
	}
	return nil, durable.Wait(ctx, "", time.Second)
}

// stepRetryThenSucceed: the first attempt fails, the second succeeds
// (1-11).
func stepRetryThenSucceed(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "unreliable_func", func(sc *durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("transient failure on first attempt")
		}
		return "Operation succeeded", nil
	}, durable.WithRetryStrategy(fixedRetry(3, time.Second, 1)))
}

// stepRetryExhaustion: every attempt fails; four attempts in all (1-12).
func stepRetryExhaustion(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "always_fail", func(sc *durable.StepContext) (string, error) {
		return "", fmt.Errorf("attempt %d failed", sc.Attempt())
	}, durable.WithRetryStrategy(fixedRetry(4, time.Second, 1)))
}

// stepRetryBackoff: two failures then a success, with delays of 2 s and
// 6 s (initial 2 s, backoff 3, no jitter) (1-14).
func stepRetryBackoff(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "flaky_step", func(sc *durable.StepContext) (string, error) {
		if sc.Attempt() < 3 {
			return "", fmt.Errorf("attempt %d failed", sc.Attempt())
		}
		return "succeeded on attempt 3", nil
	}, durable.WithRetryStrategy(fixedRetry(5, 2*time.Second, 3)))
}

// stepTransient returns a handler whose step throws TransientError on its
// first attempt, under retry (1-15 retries it, 1-16 does not).
func stepTransient(retry durable.RetryStrategy) func(*durable.Context, any) (string, error) {
	return func(ctx *durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "transient_step", func(sc *durable.StepContext) (string, error) {
			if sc.Attempt() == 1 {
				return "", &TransientError{Msg: "temporary outage"}
			}
			return "recovered", nil
		}, durable.WithRetryStrategy(retry))
	}
}

// stepAtMostOnceCrash: an at-most-once step without retries logs its
// input and crashes the invocation; the replay fails the interrupted
// attempt (1-17).
func stepAtMostOnceCrash(ctx *durable.Context, in string) (string, error) {
	return durable.Step(ctx, "at_most_once_flaky_step", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("at-most-once step running for: " + in)
		durabletest.Crash(sc.Context()) // stands in for os.Exit on the local runner
		return "", errors.New("the process exited")
	}, durable.WithAtMostOncePerRetry(), durable.WithRetryStrategy(durable.NoRetry))
}

// stepFailPermanently: a step that always fails, without retries (1-19).
func stepFailPermanently(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "failing_func", func(*durable.StepContext) (string, error) {
		return "", errors.New("step failed permanently")
	}, durable.WithRetryStrategy(durable.NoRetry))
}

// stepErrorCaught: a failing step's error is caught and a second step
// returns a fallback value (1-20).
func stepErrorCaught(ctx *durable.Context, _ any) (string, error) {
	_, err := durable.Step(ctx, "failing_func", func(*durable.StepContext) (string, error) {
		return "", errors.New("step failed")
	}, durable.WithRetryStrategy(durable.NoRetry))
	if err == nil {
		return "", errors.New("the failing step succeeded")
	}
	return durable.Step(ctx, "fallback", func(*durable.StepContext) (string, error) {
		return "fallback_result", nil
	})
}
