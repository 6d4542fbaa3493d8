// Package wrappers: functions handed to the package's own wrappers of
// durable.RunInChildContext, durable.Map and durable.Parallel run as a
// child, map item or branch function, as if handed to the SDK directly.
package wrappers

import (
	"context"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// inChild is a generic wrapper of durable.RunInChildContext.
func inChild[T any](ctx *durable.Context, name string, f func(*durable.Context) (T, error)) (T, error) {
	return durable.RunInChildContext(ctx, name, f)
}

// named hands its function on to inChild: a wrapper of a wrapper.
func named(ctx *durable.Context, f func(*durable.Context) (int, error)) (int, error) {
	return inChild(ctx, "named", f)
}

// mapAll is a wrapper of durable.Map.
func mapAll[In, Out any](ctx *durable.Context, name string, items []In, f func(*durable.Context, In, int, []In) (Out, error)) (*durable.BatchResult[Out], error) {
	return durable.Map(ctx, name, items, f)
}

// branch builds a durable.Branch around f.
func branch[T any](name string, f func(*durable.Context) (T, error)) durable.Branch[T] {
	return durable.Branch[T]{Name: name, Func: f}
}

// all runs its functions as the branches of durable.Parallel.
func all[T any](ctx *durable.Context, name string, fs ...func(*durable.Context) (T, error)) (*durable.BatchResult[T], error) {
	var bs []durable.Branch[T]
	for _, f := range fs {
		bs = append(bs, durable.Branch[T]{Name: name, Func: f})
	}
	return durable.Parallel(ctx, name, bs)
}

// inStep is a generic wrapper of durable.Step taking a plain function.
func inStep[T any](ctx *durable.Context, name string, f func(context.Context) (T, error)) (T, error) {
	return durable.Step(ctx, name, func(sc *durable.StepContext) (T, error) { return f(sc.Context()) })
}

// timed hands its function on to inStep.
func timed[T any](ctx *durable.Context, f func(context.Context) (T, error)) (T, error) {
	return inStep(ctx, "timed", f)
}

// Steps: function literals handed to generic step wrappers are step code.
func Steps(ctx *durable.Context) (int, error) {
	n := 0
	_, _ = inStep(ctx, "a", func(context.Context) (time.Time, error) {
		n++ // want `stepcapture: the step body assigns n, captured from durable code`
		return time.Now(), nil
	})
	_, err := timed(ctx, func(context.Context) (time.Time, error) { return time.Now(), nil })
	return n, err
}

// inline calls f in place: what f does runs as the code around it.
func inline(ctx *durable.Context, f func(*durable.Context) (int, error)) (int, error) {
	return f(ctx)
}

func Wrapped(ctx *durable.Context, ids []string) (int, error) {
	total := 0
	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return 0, err
	}
	_, _ = inChild(ctx, "sum", func(c *durable.Context) (int, error) {
		total++                       // want `stepcapture: the child function assigns total, captured from durable code`
		_ = durable.Wait(ctx, "w", 1) // want `outerctx: ctx is a captured outer durable context`
		return 1, nil
	})
	_, _ = named(ctx, func(c *durable.Context) (int, error) {
		total += 2 // want `stepcapture: the child function assigns total`
		return 2, nil
	})
	_, _ = mapAll(ctx, "items", ids, func(c *durable.Context, id string, i int, _ []string) (string, error) {
		total += i         // want `stepcapture: the map item function assigns total`
		return cb.Result() // want `outerctx: cb is a callback of an outer durable context`
	})
	_, _ = durable.Parallel(ctx, "par", []durable.Branch[int]{branch("a", func(c *durable.Context) (int, error) {
		total-- // want `stepcapture: the branch function assigns total`
		return 0, nil
	})})
	_, _ = all(ctx, "all", func(c *durable.Context) (int, error) {
		total *= 2            // want `stepcapture: the branch function assigns total`
		_, err := cb.Result() // want `outerctx: cb is a callback of an outer durable context`
		return 0, err
	})
	// Called in place: the literal runs on the caller's context, on replay too.
	_, _ = inline(ctx, func(c *durable.Context) (int, error) {
		total++
		return total, nil
	})
	return total, nil
}

// A saga keeps its handler's context.
type saga struct {
	ctx   *durable.Context
	steps int
}

// undo runs as a child function, handed to inChild as a method value.
func (s *saga) undo(c *durable.Context) (int, error) {
	s.steps++                                          // want `stepcapture: the child function assigns s.steps, a field of its receiver`
	return 0, durable.Wait(s.ctx, "undo", time.Second) // want `outerctx: ctx is a captured outer durable context`
}

func (s *saga) Run(ctx *durable.Context) (int, error) {
	s.ctx = ctx
	return inChild(ctx, "undo", s.undo)
}
