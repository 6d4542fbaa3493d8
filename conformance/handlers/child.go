package handlers

import (
	"errors"
	"strings"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// childEntries returns the handlers of the child suite (requirement ids 3-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func childEntries() map[string]conformance.Entry {
	keepReplayLogs := durable.WithReplayLogs(durable.ReplayKeep)
	return map[string]conformance.Entry{
		"3-1":  handlerEntry(childWithStep),
		"3-2":  handlerEntry(childNamed),
		"3-4":  handlerEntry(childStepFails),
		"3-5":  handlerEntry(childErrorCaught),
		"3-6":  handlerEntry(childNested),
		"3-7":  handlerEntry(childStepRetry),
		"3-9":  handlerEntry(childThenWait),
		"3-10": handlerEntry(childStepAndWait),
		"3-11": handlerEntry(childLargeResult, keepReplayLogs),
		"3-12": childCrashEntry(),
		"3-14": handlerEntry(childCustomSerdes),
		"3-15": handlerEntry(childThrows),
		"3-16": handlerEntry(childReturnsNull),
		"3-17": handlerEntry(childLogsOnly, keepReplayLogs),
	}
}

// echoStep runs a step, named name, that returns v.
func echoStep[T any](ctx *durable.Context, name string, v T) (T, error) {
	return durable.Step(ctx, name, func(*durable.StepContext) (T, error) { return v, nil })
}

// childWithStep: a child context returns the result of its one step
// (3-1).
func childWithStep(ctx *durable.Context, in string) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(c *durable.Context) (string, error) {
		return echoStep(c, "echo", in)
	})
}

type childNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// childNamed: the child context is named after the input's name (3-2).
func childNamed(ctx *durable.Context, in childNameValue) (string, error) {
	return durable.RunInChildContext(ctx, in.Name, func(c *durable.Context) (string, error) {
		return echoStep(c, "echo", in.Value)
	})
}

// failingStep runs a step that fails without retries.
func failingStep(ctx *durable.Context) (string, error) {
	return durable.Step(ctx, "failing_step", func(*durable.StepContext) (string, error) {
		return "", errors.New("step inside child failed")
	}, durable.WithRetryStrategy(durable.NoRetry))
}

// childStepFails: the child's step fails; the error fails the execution
// (3-4).
func childStepFails(ctx *durable.Context, _ any) (string, error) {
	return durable.RunInChildContext(ctx, "failing_child", failingStep)
}

// childErrorCaught: the child's failure is caught and a recovery step
// returns the input (3-5).
func childErrorCaught(ctx *durable.Context, in string) (string, error) {
	if _, err := durable.RunInChildContext(ctx, "failing_child", failingStep); err == nil {
		return "", errors.New("the failing child succeeded")
	}
	return echoStep(ctx, "recovery", in)
}

// childNested: an outer child runs a step and an inner child with its own
// step (3-6).
func childNested(ctx *durable.Context, in string) (string, error) {
	return durable.RunInChildContext(ctx, "outer", func(outer *durable.Context) (string, error) {
		if _, err := echoStep(outer, "outer_step", in); err != nil {
			return "", err
		}
		return durable.RunInChildContext(outer, "inner", func(inner *durable.Context) (string, error) {
			return echoStep(inner, "inner_step", in)
		})
	})
}

// childStepRetry: the child's step fails once and succeeds on its retry
// (3-7).
func childStepRetry(ctx *durable.Context, in string) (string, error) {
	return durable.RunInChildContext(ctx, "retrying_child", func(c *durable.Context) (string, error) {
		return durable.Step(c, "flaky_step", func(sc *durable.StepContext) (string, error) {
			if sc.Attempt() == 1 {
				return "", errors.New("first attempt fails")
			}
			return in, nil
		}, durable.WithRetryStrategy(fixedRetry(3, time.Second, 1)))
	})
}

// childThenWait: a child followed by a wait; on replay the child returns
// its checkpointed result (3-9).
func childThenWait(ctx *durable.Context, in string) (string, error) {
	v, err := childWithStep(ctx, in)
	if err != nil {
		return "", err
	}
	return v, durable.Wait(ctx, "", time.Second)
}

// childStepAndWait: a step and a wait inside one child (3-10).
func childStepAndWait(ctx *durable.Context, in string) (string, error) {
	return durable.RunInChildContext(ctx, "step_and_wait", func(c *durable.Context) (string, error) {
		v, err := echoStep(c, "echo", in)
		if err != nil {
			return "", err
		}
		return v, durable.Wait(c, "", time.Second)
	})
}

// largeResultCopies makes the child result of 3-11 exceed the 256 KiB
// checkpoint limit (the input is 8 characters).
const largeResultCopies = 40_000

// childLargeResult: the child's result is too large to checkpoint, so the
// child re-runs on replay to rebuild it; its log line shows both runs
// (3-11, replayed lines kept).
func childLargeResult(ctx *durable.Context, in string) (int, error) {
	big, err := durable.RunInChildContext(ctx, "large_child", func(c *durable.Context) (string, error) {
		c.Logger().Info("building large result for: " + in)
		v, err := echoStep(c, "small_step", in)
		if err != nil {
			return "", err
		}
		return strings.Repeat(v, largeResultCopies), nil
	})
	if err != nil {
		return 0, err
	}
	if err := durable.Wait(ctx, "", time.Second); err != nil {
		return 0, err
	}
	return len(big), nil
}

// childCrashEntry: the first invocation dies after the child's step
// started but before it succeeded; the replay re-runs the at-least-once
// step and checkpoints its success without a second start (3-12). The
// crash is the runner's: it refuses the step's SUCCEED of invocation 1.
func childCrashEntry() conformance.Entry {
	e := handlerEntry(childWithStep)
	e.RunnerOptions = []durabletest.Option{durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool {
		return inv == 1 && u.Type == protocol.OperationTypeStep && u.Action == protocol.ActionSucceed
	})}
	return e
}

// childUppercaseSerdes checkpoints a string child result upper-cased and
// unquoted, and reads it back as is.
var childUppercaseSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", errors.New("uppercase serdes: not a string")
		}
		return strings.ToUpper(s), nil
	},
	DeserializeFunc: func(data string, target any) error {
		p, ok := target.(*string)
		if !ok {
			return errors.New("uppercase serdes: target is not a *string")
		}
		*p = data
		return nil
	},
}

// childCustomSerdes: the child's serdes upper-cases its result (3-14).
func childCustomSerdes(ctx *durable.Context, in string) (string, error) {
	return durable.RunInChildContext(ctx, "uppercase_child", func(c *durable.Context) (string, error) {
		return echoStep(c, "echo", in)
	}, durable.WithSerdes(childUppercaseSerdes))
}

// childThrows: the child body fails without any durable operation (3-15).
func childThrows(ctx *durable.Context, _ any) (any, error) {
	return durable.RunInChildContext(ctx, "throwing_child", func(*durable.Context) (any, error) {
		return nil, errors.New("child body failed")
	})
}

// childReturnsNull: the child body returns null without any durable
// operation (3-16).
func childReturnsNull(ctx *durable.Context, _ any) (any, error) {
	return durable.RunInChildContext(ctx, "null_child", func(*durable.Context) (any, error) {
		return nil, nil
	})
}

// childLogsOnly: the child only logs and returns the input, then a wait
// forces a replay in which the completed child must not run again (3-17,
// replayed lines kept).
func childLogsOnly(ctx *durable.Context, in string) (string, error) {
	v, err := durable.RunInChildContext(ctx, "logging_child", func(c *durable.Context) (string, error) {
		c.Logger().Info("child context logging: " + in)
		return in, nil
	})
	if err != nil {
		return "", err
	}
	return v, durable.Wait(ctx, "", time.Second)
}
