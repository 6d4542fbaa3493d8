package handlers

import (
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
)

// callbackEntries returns the handlers of the callback suite (requirement ids 4-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func callbackEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"4-1":  handlerEntry(awaitCallback()),
		"4-2":  handlerEntry(awaitApproval),
		"4-4":  handlerEntry(awaitCallback(durable.WithHeartbeatTimeout(5 * time.Second))),
		"4-5":  handlerEntry(awaitCallback(durable.WithHeartbeatTimeout(10 * time.Second))),
		"4-6":  handlerEntry(awaitCallback()),
		"4-7":  handlerEntry(callbackStepAwait),
		"4-9":  handlerEntry(callbackWaitAwait(5*time.Second, 0)),
		"4-10": handlerEntry(callbackWaitAwait(5*time.Second, 0)),
		"4-11": handlerEntry(callbackWaitAwait(6*time.Second, 3*time.Second)),
		"4-12": handlerEntry(callbackAwaitThenWait),
		"4-14": handlerEntry(callbackTimeoutCaught),
		"4-15": handlerEntry(callbackTypedPayload),
		"4-16": handlerEntry(callbackNumericPayload),
		"4-17": handlerEntry(callbacksSequential),
		"4-19": handlerEntry(callbacksReverse),
	}
}

// awaitCallback returns a handler that creates a callback named by its
// input, with opts, and returns the callback's raw result.
func awaitCallback(opts ...durable.CallbackOption) func(*durable.Context, string) (string, error) {
	return func(ctx *durable.Context, name string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, name, opts...)
		if err != nil {
			return "", err
		}
		return cb.Result()
	}
}

// awaitApproval creates a callback named "approval" and returns its
// result (4-2).
func awaitApproval(ctx *durable.Context, _ any) (string, error) {
	return awaitCallback()(ctx, "approval")
}

// callbackStepAwait creates a callback, runs a step, then awaits the
// callback (4-7).
func callbackStepAwait(ctx *durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name)
	if err != nil {
		return "", err
	}
	if _, err := echoStep(ctx, "", "step done"); err != nil {
		return "", err
	}
	return cb.Result()
}

// callbackWaitAwait returns a handler that creates a callback (with a
// timeout when timeout is non-zero), waits for wait, then awaits the
// callback (4-9, 4-10, 4-11).
func callbackWaitAwait(wait, timeout time.Duration) func(*durable.Context, string) (string, error) {
	return func(ctx *durable.Context, name string) (string, error) {
		var opts []durable.CallbackOption
		if timeout > 0 {
			opts = append(opts, durable.WithCallbackTimeout(timeout))
		}
		cb, err := durable.CreateCallback[string](ctx, name, opts...)
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "", wait); err != nil {
			return "", err
		}
		return cb.Result()
	}
}

// callbackAwaitThenWait awaits a callback, waits two seconds, then returns
// the callback's result (4-12).
func callbackAwaitThenWait(ctx *durable.Context, name string) (string, error) {
	result, err := awaitCallback()(ctx, name)
	if err != nil {
		return "", err
	}
	return result, durable.Wait(ctx, "", 2*time.Second)
}

// callbackTimeoutCaught awaits a callback that times out after three
// seconds, keeps the error message, waits two seconds and returns it
// (4-14).
func callbackTimeoutCaught(ctx *durable.Context, name string) (string, error) {
	result, err := awaitCallback(durable.WithCallbackTimeout(3*time.Second))(ctx, name)
	if err != nil {
		result = "callback failed: " + err.Error()
	}
	return result, durable.Wait(ctx, "", 2*time.Second)
}

// callbacksSequential creates and awaits callback A, then callback B, and
// returns both results (4-17).
func callbacksSequential(ctx *durable.Context, names []string) ([]string, error) {
	if len(names) != 2 {
		return nil, errTwoNames
	}
	a, err := awaitCallback()(ctx, names[0])
	if err != nil {
		return nil, err
	}
	b, err := awaitCallback()(ctx, names[1])
	if err != nil {
		return nil, err
	}
	return []string{a, b}, nil
}

// callbacksReverse creates callbacks A and B, awaits B, then A, and
// returns both results (4-19).
func callbacksReverse(ctx *durable.Context, names []string) ([]string, error) {
	if len(names) != 2 {
		return nil, errTwoNames
	}
	a, err := durable.CreateCallback[string](ctx, names[0])
	if err != nil {
		return nil, err
	}
	b, err := durable.CreateCallback[string](ctx, names[1])
	if err != nil {
		return nil, err
	}
	resB, err := b.Result()
	if err != nil {
		return nil, err
	}
	resA, err := a.Result()
	if err != nil {
		return nil, err
	}
	return []string{resA, resB}, nil
}
