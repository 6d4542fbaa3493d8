// Package outerctx: rule outerctx, with its suggested fix.
package outerctx

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

func Handler(ctx *durable.Context, items []string) (string, error) {
	_, _ = durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		return durable.Step(ctx, "inner", func(*durable.StepContext) (int, error) { return 1, nil }) // want `outerctx: ctx is a captured outer durable context: an operation on it from this child, map item or branch function fails the execution \(ErrContextInUse in a child, ErrWrongGoroutine in a map item or branch\), its IsReplaying\(\) answers for the outer context, not this function, and the lines its Logger\(\) prints lack this function's parentId; use the function's own context parameter child`
	})
	_, _ = durable.Map(ctx, "items", items, func(item *durable.Context, s string, _ int, _ []string) (string, error) {
		ctx.Logger().Info("item", "s", s)            // want `outerctx: ctx is a captured outer durable context.*parameter item`
		return s, durable.Wait(ctx, "", time.Second) // want `outerctx: ctx is a captured`
	})
	branch := durable.Branch[int]{Func: func(_ *durable.Context) (int, error) {
		return 0, durable.Wait(ctx, "", time.Second) // want `outerctx: ctx is a captured outer durable context.*use the function's own context parameter$`
	}}
	_, _ = durable.Parallel(ctx, "par", []durable.Branch[int]{branch})

	// Nested children: each level uses its own parameter.
	return durable.RunInChildContext(ctx, "outer", func(outer *durable.Context) (string, error) {
		return durable.RunInChildContext(outer, "inner", func(inner *durable.Context) (string, error) {
			if err := durable.Wait(inner, "", time.Second); err != nil {
				return "", err
			}
			return "", durable.Wait(outer, "", time.Second) // want `outerctx: outer is a captured outer durable context.*parameter inner`
		})
	})
}

// workflow keeps its context in a field.
type workflow struct{ ctx *durable.Context }

func (w *workflow) run(ctx *durable.Context, _ string) (int, error) {
	return durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		return 0, durable.Wait(w.ctx, "", time.Second) // want `outerctx: ctx is a captured outer durable context.*use the function's own context parameter$`
	})
}

// A job remembers the context that started it, for after the child.
type job struct {
	parent *durable.Context
	name   string
}

// Stored: an outer context assigned inside a child is reported where it
// is used there, not where it is assigned; the fix rewrites the
// assignment.
func Stored(ctx *durable.Context, w *workflow) (*job, error) {
	var started *job
	_, err := durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		w.ctx = ctx // stored, not used here: no outerctx (a completed child does not store it on replay) // want `stepcapture: the child function assigns w`
		parent := ctx
		started = &job{parent: parent, name: "j"} // want `stepcapture: the child function assigns started`
		c := ctx
		var logTo *durable.Context = ctx
		logTo.Logger().Info("waiting")                // want `outerctx: logTo holds ctx, a captured outer durable context.*parameter child`
		logTo.Logger().Info("still waiting")          // want `outerctx: logTo holds ctx`
		return 0, durable.Wait(c, "nap", time.Second) // want `outerctx: c holds ctx, a captured outer durable context.*parameter child`
	})
	if err != nil {
		return nil, err
	}
	return started, durable.Wait(started.parent, "after", time.Second)
}
