package outerctx

import (
	durable "github.com/durable-go/durable-go/core"
)

// Callbacks: a callback of an outer context may be awaited in a child
// (it runs on the same goroutine), not in a map item or a branch.
func Callbacks(ctx *durable.Context, items []string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return "", err
	}
	_, _ = durable.Map(ctx, "items", items, func(item *durable.Context, s string, _ int, _ []string) (string, error) {
		return cb.Result() // want `outerctx: cb is a callback of an outer durable context: awaiting it from this map item or branch function fails the execution with ErrWrongGoroutine`
	})
	_, _ = durable.Parallel(ctx, "par", []durable.Branch[string]{{Name: "b", Func: func(*durable.Context) (string, error) {
		return cb.Result() // want `outerctx: cb is a callback of an outer durable context`
	}}})
	return durable.RunInChildContext(ctx, "child", func(child *durable.Context) (string, error) {
		return cb.Result()
	})
}

// CallbacksThroughVariables: item and branch functions in variables.
func CallbacksThroughVariables(ctx *durable.Context, items []string) error {
	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return err
	}
	item := func(c *durable.Context, s string, _ int, _ []string) (string, error) {
		return cb.Result() // want `outerctx: cb is a callback of an outer durable context`
	}
	branch := func(c *durable.Context) (string, error) {
		return cb.Result() // want `outerctx: cb is a callback of an outer durable context`
	}
	_, _ = durable.Map(ctx, "items", items, item)
	_, err = durable.Parallel(ctx, "par", []durable.Branch[string]{{Name: "b", Func: branch}})
	return err
}
