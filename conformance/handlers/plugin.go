package handlers

import (
	"errors"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// pluginEntries returns the handlers of the plugin suite (requirement ids
// 10-*), keyed by requirement id. Each registers conformance test plugins
// (see recorder) that print their hook records to the run's Env.Stdout.
func pluginEntries() map[string]conformance.Entry {
	steps := ofType(protocol.OperationTypeStep)
	waits := ofType(protocol.OperationTypeWait)
	return map[string]conformance.Entry{
		"10-1":  pluginEntry(pluginGreet, testPlugin("CONFPLUGIN", invocationSummary())),
		"10-2":  pluginEntry(pluginGreet, testPlugin("CONFPLUGIN", operationSummary(steps))),
		"10-4":  pluginEntry(pluginGreet, testPlugin("CONFPLUGIN-FAULTY", faulty(), bareHooks(steps))),
		"10-5":  pluginEntry(pluginGreet, testPlugin("CONFPLUGIN-A", invocationSummary()), testPlugin("CONFPLUGIN-B", invocationSummary())),
		"10-6":  pluginEntry(pluginWait(""), testPlugin("CONFPLUGIN", invocationSummary())),
		"10-7":  pluginEntry(pluginFail, testPlugin("CONFPLUGIN", invocationSummary())),
		"10-9":  pluginEntry(pluginWait(""), testPlugin("CONFPLUGIN", updatedOnInvoke(waits))),
		"10-10": pluginEntry(pluginWait(""), testPlugin("CONFPLUGIN", operationSummary(waits))),
		"10-11": pluginEntry(pluginChildGreet, testPlugin("CONFPLUGIN", operationSummary(anyOp))),
		"10-12": pluginEntry(pluginParallel, testPlugin("CONFPLUGIN", functionSummary(ofSubType(protocol.SubTypeParallelBranch)))),
		"10-14": pluginEntry(pluginResultThenBoom, testPlugin("CONFPLUGIN", operationSummary(steps))),
		"10-15": pluginEntry(pluginRetryExhaustion, testPlugin("CONFPLUGIN", attemptSummary(steps), operationSummary(steps))),
		"10-16": pluginEntry(pluginWait(""), testPlugin("CONFPLUGIN", invocationSummary())),
		"10-17": pluginEntry(pluginGreet,
			testPlugin("CONFPLUGIN-FAULTY", faulty(), bareHooks(steps)),
			testPlugin("CONFPLUGIN-HEALTHY", invocationSummary(), operationSummary(steps), attemptSummary(steps))),
		"10-19": pluginEntry(pluginWait("done-"), testPlugin("CONFPLUGIN", invocationDumps())),
		"10-20": pluginEntry(pluginTaskA, testPlugin("CONFPLUGIN", operationDumps(steps))),
		"10-21": pluginEntry(pluginFlaky, testPlugin("CONFPLUGIN", attemptDumps(steps))),
		"10-22": pluginEntry(pluginTaskA, testPlugin("CONFPLUGIN", changeDumps(steps))),
	}
}

// pluginFactory builds one test plugin for a run.
type pluginFactory func(env *conformance.Env) plugin.Plugin

// testPlugin returns a factory of recorders named name printing to the run's
// Stdout.
func testPlugin(name string, opts ...recorderOption) pluginFactory {
	return func(env *conformance.Env) plugin.Plugin { return newRecorder(name, env.Stdout, opts...) }
}

// pluginEntry wraps a durable handler, built per run with fresh plugins
// registered in the given order, as a registry entry.
func pluginEntry[In, Out any](fn func(*durable.Context, In) (Out, error), plugins ...pluginFactory) conformance.Entry {
	return conformance.Entry{New: func(env *conformance.Env) durabletest.Handler {
		ps := make([]plugin.Plugin, len(plugins))
		for i, p := range plugins {
			ps[i] = p(env)
		}
		return durable.Handler(fn, quietStepLogger(), durable.WithPlugins(ps...))
	}}
}

// pluginGreet: one step greets the input, logging that it runs (10-1,
// 10-2, 10-4, 10-5, 10-17).
func pluginGreet(ctx *durable.Context, who string) (string, error) {
	return durable.Step(ctx, "greet", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("Greeting step running for: " + who)
		return "Hello, " + who + "!", nil
	})
}

// pluginWait returns a handler that waits two seconds and then returns
// prefix followed by the input (10-6, 10-9, 10-10, 10-16, 10-19).
func pluginWait(prefix string) func(*durable.Context, any) (any, error) {
	return func(ctx *durable.Context, in any) (any, error) {
		if err := durable.Wait(ctx, "wait", 2*time.Second); err != nil {
			return nil, err
		}
		if prefix == "" {
			return nil, nil
		}
		s, _ := in.(string)
		return prefix + s, nil
	}
}

// pluginFail: one step always fails, without retries (10-7).
func pluginFail(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "fail", func(*durable.StepContext) (string, error) {
		return "", errors.New("step failed on purpose")
	}, durable.WithRetryStrategy(durable.NoRetry))
}

// pluginChildGreet: a child context runs one greeting step (10-11).
func pluginChildGreet(ctx *durable.Context, who string) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(child *durable.Context) (string, error) {
		return durable.Step(child, "greet", func(*durable.StepContext) (string, error) {
			return "Hello, " + who + "!", nil
		})
	})
}

// pluginParallel: a parallel named "parallel" runs two constant branches
// one at a time and returns their results in order (10-12).
func pluginParallel(ctx *durable.Context, _ any) ([]string, error) {
	branch := func(v string) durable.Branch[string] {
		return durable.Branch[string]{Func: func(*durable.Context) (string, error) { return v, nil }}
	}
	res, err := durable.Parallel(ctx, "parallel", []durable.Branch[string]{branch("task-1"), branch("task-2")},
		durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	return res.Results(), nil
}

// pluginResultThenBoom: step A returns "task-a", then step B fails with
// "boom" without retries (10-14).
func pluginResultThenBoom(ctx *durable.Context, _ any) (string, error) {
	if _, err := durable.Step(ctx, "step-a", func(*durable.StepContext) (string, error) {
		return "task-a", nil
	}); err != nil {
		return "", err
	}
	return durable.Step(ctx, "step-b", func(*durable.StepContext) (string, error) {
		return "", errors.New("boom")
	}, durable.WithRetryStrategy(durable.NoRetry))
}

// pluginRetryExhaustion: one step always fails, with two attempts in all
// one second apart (10-15).
func pluginRetryExhaustion(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "always_fail", func(*durable.StepContext) (string, error) {
		return "", errors.New("always fails")
	}, durable.WithRetryStrategy(fixedRetry(2, time.Second, 1)))
}

// pluginTaskA: a step named "greet" returns "task-a" (10-20, 10-22).
func pluginTaskA(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "greet", func(*durable.StepContext) (string, error) {
		return "task-a", nil
	})
}

// pluginFlaky: a step named "flaky" fails its first attempt and returns
// "ok" on the second, retried after one second (10-21).
func pluginFlaky(ctx *durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "flaky", func(sc *durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("flaky: first attempt fails")
		}
		return "ok", nil
	}, durable.WithRetryStrategy(fixedRetry(3, time.Second, 1)))
}
