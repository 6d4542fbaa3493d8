package handlers

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// invokeEntries returns the handlers of the invoke suite (requirement ids
// 5-*), keyed by requirement id. Add one entry per requirement; declare
// intentional gaps with Entry.NotImplemented and a reason.
func invokeEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"5-1":  targetEntry("echo", invokeWithEvent),
		"5-2":  targetEntry("echo", invokeNamedFromInput),
		"5-4":  targetEntry("echo", invokeNull),
		"5-5":  targetEntry("fail", invokeNull),
		"5-6":  targetEntry("fail", invokeWithFallback),
		"5-7":  targetEntry("echo", invokeLargePayload),
		"5-9":  targetEntry("echo", invokeThenWait),
		"5-10": targetEntry("fail", invokeCaughtThenWait),
		"5-11": targetEntry("echo", stepThenInvoke),
		"5-12": targetEntry("echo", invokeThenStep),
		"5-14": targetEntry("echo", invokeTwice),
		"5-15": targetEntry("echo", invokeWithPayloadSerdes),
		"5-16": targetEntry("echo", invokeWithResultSerdes),
	}
}

// invokeTargets returns the functions the invoke suite calls (an echo
// target, an always-failing target, ...), keyed by function name, for
// example "echo:$LATEST"; handlers reach them through env.Targets["echo"].
func invokeTargets() map[string]func(env *conformance.Env) durabletest.Handler {
	return map[string]func(env *conformance.Env) durabletest.Handler{
		"echo:$LATEST": func(*conformance.Env) durabletest.Handler {
			return durable.Handler(echoTarget, quietStepLogger())
		},
		"fail:$LATEST": func(*conformance.Env) durabletest.Handler {
			return durable.Handler(failTarget, quietStepLogger())
		},
	}
}

// echoTarget returns its input unchanged.
func echoTarget(_ *durable.Context, in json.RawMessage) (json.RawMessage, error) {
	return in, nil
}

// TargetFailedError is what the always-failing invoke target throws.
type TargetFailedError struct{}

// Error implements error.
func (TargetFailedError) Error() string { return "target function failed" }

// ErrorType names the error in checkpointed ErrorObjects.
func (TargetFailedError) ErrorType() string { return "TargetFailedError" }

// failTarget always fails.
func failTarget(*durable.Context, json.RawMessage) (any, error) {
	return nil, TargetFailedError{}
}

// invokeFunc is a handler body that invokes the target function named
// target.
type invokeFunc func(ctx *durable.Context, target string, in any) (any, error)

// targetEntry builds an entry whose handler calls fn with the registered
// function name of the logical target.
func targetEntry(target string, fn invokeFunc) conformance.Entry {
	return conformance.Entry{New: func(env *conformance.Env) durabletest.Handler {
		name := env.Targets[target]
		return durable.Handler(func(ctx *durable.Context, in any) (any, error) {
			return fn(ctx, name, in)
		}, quietStepLogger())
	}}
}

// invokeWithEvent passes the event to the target and returns its result.
func invokeWithEvent(ctx *durable.Context, target string, in any) (any, error) {
	return durable.Invoke[any](ctx, "", target, in)
}

// invokeNamedFromInput names the invoke after event.name and sends
// event.payload.
func invokeNamedFromInput(ctx *durable.Context, target string, in any) (any, error) {
	event, _ := in.(map[string]any)
	name, _ := event["name"].(string)
	return durable.Invoke[any](ctx, name, target, event["payload"])
}

// invokeNull sends null to the target and returns its result.
func invokeNull(ctx *durable.Context, target string, _ any) (any, error) {
	return durable.Invoke[any](ctx, "", target, nil)
}

// invokeWithFallback swallows the invoke error and returns a fallback.
func invokeWithFallback(ctx *durable.Context, target string, _ any) (any, error) {
	if _, err := durable.Invoke[any](ctx, "", target, nil); err != nil {
		return "fallback", nil
	}
	return "unexpected success", nil
}

// largePayloadSize puts the payload near the 256 KB invoke limit while
// leaving room for its JSON quoting and the service's envelope.
const largePayloadSize = 200 * 1024

// invokeLargePayload sends a payload near the Lambda payload limit and
// returns only its length, so the execution result stays small.
func invokeLargePayload(ctx *durable.Context, target string, _ any) (any, error) {
	out, err := durable.Invoke[string](ctx, "", target, strings.Repeat("x", largePayloadSize))
	return len(out), err
}

// invokeThenWait invokes, then waits one second, returning the invoke
// result.
func invokeThenWait(ctx *durable.Context, target string, _ any) (any, error) {
	out, err := durable.Invoke[any](ctx, "", target, "cached")
	if err != nil {
		return nil, err
	}
	return out, durable.Wait(ctx, "", time.Second)
}

// invokeCaughtThenWait catches the failed invoke, then waits one second;
// on the replay after the wait the cached error is caught again.
func invokeCaughtThenWait(ctx *durable.Context, target string, _ any) (any, error) {
	_, invokeErr := durable.Invoke[any](ctx, "", target, nil)
	var opErr *durable.OperationError
	if !errors.As(invokeErr, &opErr) {
		return nil, invokeErr
	}
	return "caught", durable.Wait(ctx, "", time.Second)
}

// stepThenInvoke sends a step's result to the target.
func stepThenInvoke(ctx *durable.Context, target string, _ any) (any, error) {
	data, err := durable.Step(ctx, "", func(*durable.StepContext) (string, error) {
		return "step-result", nil
	})
	if err != nil {
		return nil, err
	}
	return durable.Invoke[any](ctx, "", target, data)
}

// invokeThenStep processes the invoke result in a step.
func invokeThenStep(ctx *durable.Context, target string, _ any) (any, error) {
	out, err := durable.Invoke[string](ctx, "", target, "invoke-result")
	if err != nil {
		return nil, err
	}
	return durable.Step(ctx, "", func(*durable.StepContext) (string, error) {
		return "processed " + out, nil
	})
}

// invokeTwice invokes the target twice in sequence and returns both
// results.
func invokeTwice(ctx *durable.Context, target string, _ any) (any, error) {
	first, err := durable.Invoke[string](ctx, "", target, "first")
	if err != nil {
		return nil, err
	}
	second, err := durable.Invoke[string](ctx, "", target, "second")
	return []string{first, second}, err
}

// invokeWithPayloadSerdes upper-cases the outgoing payload's strings.
func invokeWithPayloadSerdes(ctx *durable.Context, target string, in any) (any, error) {
	event, _ := in.(map[string]any)
	data, _ := event["data"].(string)
	return durable.Invoke[any](ctx, "", target, data, durable.WithPayloadSerdes(uppercaseSerdes))
}

// uppercaseResultSerdes hands a string result its raw serialized text,
// upper-cased, as the reference handlers do: the echoed "hello" arrives as
// the JSON text "\"hello\"" and becomes "\"HELLO\"".
var uppercaseResultSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	DeserializeFunc: func(data string, target any) error {
		if s, ok := target.(*string); ok {
			*s = strings.ToUpper(data)
			return nil
		}
		return json.Unmarshal([]byte(data), target)
	},
}

// invokeWithResultSerdes sends the event and upper-cases the result.
func invokeWithResultSerdes(ctx *durable.Context, target string, in any) (any, error) {
	return durable.Invoke[string](ctx, "", target, in, durable.WithSerdes(uppercaseResultSerdes))
}
