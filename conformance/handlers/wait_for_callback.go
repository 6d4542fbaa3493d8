package handlers

import (
	"errors"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
)

// waitForCallbackEntries returns the handlers of the wait_for_callback suite (requirement ids 7-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func waitForCallbackEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"7-1":  handlerEntry(waitForCallbackNamedByInput[string]()),
		"7-2":  handlerEntry(waitForCallbackStatic),
		"7-4":  handlerEntry(waitForCallbackNamedByInput[string]()),
		"7-5":  handlerEntry(waitForCallbackNamedByInput[string](durable.WithCallbackTimeout(3 * time.Second))),
		"7-6":  handlerEntry(recoverWaitForCallback("recovered")),
		"7-7":  handlerEntry(waitForCallbackFailingSubmitter),
		"7-9":  handlerEntry(twoWaitForCallbacks),
		"7-10": handlerEntry(waitStepThenWaitForCallback),
		"7-11": handlerEntry(waitForCallbackStatus),
		"7-12": handlerEntry(waitForCallbackNamedByInput[string](durable.WithHeartbeatTimeout(5 * time.Second))),
		"7-14": handlerEntry(recoverWaitForCallback("timed-out-handled", durable.WithCallbackTimeout(3*time.Second))),
		"7-15": handlerEntry(waitForCallbackNamedByInput[any]()),
	}
}

// registerCallback is a submitter that only hands over the callback id; it
// does nothing durable.
func registerCallback(*durable.StepContext, string) error { return nil }

// waitForCallbackNamedByInput returns a handler that waits for one callback
// named after the input and returns its result.
func waitForCallbackNamedByInput[T any](opts ...durable.CallbackOption) func(*durable.Context, string) (T, error) {
	return func(ctx *durable.Context, name string) (T, error) {
		return durable.WaitForCallback[T](ctx, name, registerCallback, opts...)
	}
}

// waitForCallbackStatic waits for a callback under the fixed name
// "approval".
func waitForCallbackStatic(ctx *durable.Context, _ any) (string, error) {
	return durable.WaitForCallback[string](ctx, "approval", registerCallback)
}

// recoverWaitForCallback returns a handler that turns a failed or timed
// out callback into the fixed result recovered.
func recoverWaitForCallback(recovered string, opts ...durable.CallbackOption) func(*durable.Context, string) (string, error) {
	return func(ctx *durable.Context, name string) (string, error) {
		out, err := durable.WaitForCallback[string](ctx, name, registerCallback, opts...)
		var opErr *durable.OperationError
		if errors.As(err, &opErr) {
			return recovered, nil
		}
		return out, err
	}
}

// errSubmitFailed is what the always-failing submitter returns.
var errSubmitFailed = errors.New("submitter failed")

// waitForCallbackFailingSubmitter's submitter fails on both of its two
// attempts, so the operation fails before the callback completes.
func waitForCallbackFailingSubmitter(ctx *durable.Context, name string) (string, error) {
	return durable.WaitForCallback[string](ctx, name,
		func(*durable.StepContext, string) error { return errSubmitFailed },
		durable.WithSubmitterRetry(fixedRetry(2, time.Second, 1)))
}

// twoWaitForCallbacks waits for "first", then "second", and returns the
// second result.
func twoWaitForCallbacks(ctx *durable.Context, _ any) (string, error) {
	if _, err := durable.WaitForCallback[string](ctx, "first", registerCallback); err != nil {
		return "", err
	}
	return durable.WaitForCallback[string](ctx, "second", registerCallback)
}

// waitStepThenWaitForCallback waits a second, runs a step, then waits for
// a callback named after the input.
func waitStepThenWaitForCallback(ctx *durable.Context, name string) (string, error) {
	if err := durable.Wait(ctx, "", time.Second); err != nil {
		return "", err
	}
	_, err := durable.Step(ctx, "", func(*durable.StepContext) (string, error) {
		return "fixed-data", nil
	})
	if err != nil {
		return "", err
	}
	return durable.WaitForCallback[string](ctx, name, registerCallback)
}

// approvalStatus is the JSON object the 7-11 callback completes with.
type approvalStatus struct {
	Status string `json:"status"`
}

// waitForCallbackStatus decodes the callback payload as a JSON object and
// returns its status field.
func waitForCallbackStatus(ctx *durable.Context, name string) (string, error) {
	out, err := durable.WaitForCallback[approvalStatus](ctx, name, registerCallback)
	return out.Status, err
}
