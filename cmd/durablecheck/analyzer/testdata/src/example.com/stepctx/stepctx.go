// Package stepctx: rule stepctx.
package stepctx

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

func Handler(ctx *durable.Context, in string) (string, error) {
	return durable.Step(ctx, "outer", func(sc *durable.StepContext) (string, error) {
		if err := durable.Wait(ctx, "nap", time.Second); err != nil { // want `stepctx: the step body passes ctx, a durable context from outside it, to durable.Wait: a durable operation started while a step runs fails the execution with ErrContextInUse; run the operations in durable code, before or after the step \(group them with durable.RunInChildContext\)`
			return "", err
		}
		audit(ctx, in)                      // want `stepctx: the step body passes ctx, a durable context from outside it, to stepctx.audit`
		sc.Logger().Info("inside the step") // the step's own logger is fine
		ctx.Logger().Info("context logger") // not an operation
		return in, nil
	})
}

func Callbacks(ctx *durable.Context, in string) (string, error) {
	_, _ = durable.WaitForCondition(ctx, "poll", 0, func(sc *durable.StepContext, n int) (int, error) {
		_, err := durable.Invoke[int](ctx, "count", "counter", n) // want `stepctx: the wait-for-condition check passes ctx`
		return n, err
	}, nil)
	return durable.WaitForCallback[string](ctx, "approve", func(sc *durable.StepContext, id string) error {
		_, err := durable.Step(ctx, "nested", func(*durable.StepContext) (int, error) { return 0, nil }) // want `stepctx: the callback submitter passes ctx`
		return err
	})
}

func audit(ctx *durable.Context, what string) {
	_, _ = durable.Step(ctx, "audit", func(*durable.StepContext) (string, error) { return what, nil })
}

// global is a durable context kept in a package variable.
var global *durable.Context

// declaredStep is a step body declared as a function.
func declaredStep(sc *durable.StepContext) (int, error) {
	return durable.Step(global, "nested", func(*durable.StepContext) (int, error) { return 0, nil }) // want `stepctx: the step body passes global, a durable context from outside it, to durable.Step`
}

// Logs: a helper handed the context that only logs through it starts no
// operation from the step body.
func Logs(ctx *durable.Context, in string) (string, error) {
	return durable.Step(ctx, "logs", func(sc *durable.StepContext) (string, error) {
		note(ctx, in)
		return in, nil
	})
}

func note(ctx *durable.Context, s string) { ctx.Logger().Info("note", "s", s) }

// Closure: a step body calling a closure that runs operations on the
// enclosing context.
func Closure(ctx *durable.Context, in string) (string, error) {
	pause := func() error { return durable.Wait(ctx, "pause", time.Second) }
	label := func() string { return in + "!" }
	if err := pause(); err != nil {
		return "", err
	}
	return durable.Step(ctx, "s", func(sc *durable.StepContext) (string, error) {
		return label(), pause() // want `stepctx: the step body calls pause, a closure that runs durable operations on a durable context from outside the step body: a durable operation started while a step runs fails the execution with ErrContextInUse`
	})
}

// StepOnlyClosure: a closure called only from a step body that runs an
// operation is reported once, at the operation.
func StepOnlyClosure(ctx *durable.Context, in string) (string, error) {
	nap := func() error {
		return durable.Wait(ctx, "nap", time.Second) // want `stepctx: the step body passes ctx, a durable context from outside it, to durable.Wait`
	}
	return durable.Step(ctx, "s", func(sc *durable.StepContext) (string, error) {
		return in, nap()
	})
}

// HandedToClosure: a step body handing ctx to a local closure that only
// logs through it runs no operation on it.
func HandedToClosure(ctx *durable.Context, in string) (string, error) {
	note := func(c *durable.Context, what string) { c.Logger().Info(what) }
	wait := func(c *durable.Context) error { return durable.Wait(c, "nap", time.Second) }
	return durable.Step(ctx, "s", func(sc *durable.StepContext) (string, error) {
		note(ctx, "inside the step")
		return in, wait(ctx) // want `stepctx: the step body passes ctx, a durable context from outside it, to a function that takes it`
	})
}

// AwaitInStep: a step body awaiting a callback fails the execution.
func AwaitInStep(ctx *durable.Context) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return "", err
	}
	return durable.Step(ctx, "await", func(sc *durable.StepContext) (string, error) {
		return cb.Result() // want `stepctx: the step body awaits callback cb: a step body cannot await a callback \(ErrContextInUse\); await it in durable code, before or after the step`
	})
}

// A saga keeps its context in a field.
type saga struct {
	ctx *durable.Context
	id  string
}

// compensate is a step body of the saga.
func (s *saga) compensate(sc *durable.StepContext) (bool, error) {
	err := durable.Wait(s.ctx, "undo", time.Second) // want `stepctx: the step body passes s.ctx, a durable context from outside it, to durable.Wait`
	return err == nil, err
}

func (s *saga) Run(ctx *durable.Context) (bool, error) {
	s.ctx = ctx
	if _, err := durable.Step(ctx, "compensate", s.compensate); err != nil {
		return false, err
	}
	return durable.Step(ctx, "audit", func(sc *durable.StepContext) (bool, error) {
		audit(s.ctx, s.id) // want `stepctx: the step body passes s.ctx, a durable context from outside it, to stepctx.audit`
		note(s.ctx, s.id)
		return true, nil
	})
}

// pause runs an operation on the saga's context.
func (s *saga) pause() error { return durable.Wait(s.ctx, "pause", time.Second) }

// settle reaches it through another method.
func (s *saga) settle() error { return s.pause() }

// label does nothing durable.
func (s *saga) label() string { return s.id }

func (s *saga) Settle(ctx *durable.Context) (bool, error) {
	s.ctx = ctx
	if err := s.settle(); err != nil {
		return false, err
	}
	return durable.Step(ctx, "settle", func(sc *durable.StepContext) (bool, error) {
		_ = s.label()
		return true, s.settle() // want `stepctx: the step body calls stepctx.saga.settle, which runs durable operations on s.ctx, a durable context from outside the step body`
	})
}
