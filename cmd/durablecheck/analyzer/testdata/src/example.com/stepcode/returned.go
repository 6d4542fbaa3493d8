package stepcode

import (
	"context"
	"errors"
	"os"
	"time"

	"example.com/helpers"
	durable "github.com/durable-go/durable-go/core"
)

// retried returns f retried: it calls f only in the closure it returns,
// so a literal given to it runs where that closure runs.
func retried[T any](f func() (T, error)) func() (T, error) {
	return func() (T, error) {
		v, err := f()
		if err != nil {
			return f()
		}
		return v, nil
	}
}

// timed returns f under a timeout, through a local closure it returns.
func timed[T any](f func(context.Context) (T, error)) func(context.Context) (T, error) {
	run := func(c context.Context) (T, error) {
		c, cancel := context.WithTimeout(c, time.Minute)
		defer cancel()
		return f(c)
	}
	return run
}

// asStep returns f as a step body.
func asStep[T any](f func(context.Context) (T, error)) func(*durable.StepContext) (T, error) {
	return func(sc *durable.StepContext) (T, error) { return f(sc.Context()) }
}

// guarded hands f on to retried and returns what that returns.
func guarded[T any](f func() (T, error)) func() (T, error) {
	if f == nil {
		return func() (T, error) { var zero T; return zero, errors.New("no function") }
	}
	return retried(f)
}

// eager calls f now and in the closure it returns.
func eager(f func() string) func() string {
	first := f()
	return func() string { return first + f() }
}

// Returned: a literal handed to a helper that calls it only in the
// closure it returns is step code where that closure is step code.
func Returned(ctx *durable.Context) (string, error) {
	a, _ := durable.Step(ctx, "a", asStep(timed(func(context.Context) (string, error) { return time.Now().String(), nil })))
	b, _ := helpers.InStep(ctx, "b", retried(func() (string, error) { return os.Getenv("B"), nil }))
	op := guarded(func() (string, error) { return os.Getenv("C"), nil })
	c, _ := durable.Step(ctx, "c", func(*durable.StepContext) (string, error) { return op() })
	d, _ := helpers.InStep(ctx, "d", helpers.Retried(func() (string, error) { return os.Getenv("D"), nil }))
	e, _ := durable.Step(ctx, "e", func(sc *durable.StepContext) (string, error) {
		return retried(func() (string, error) { return os.Getenv("E"), nil })()
	})
	return a + b + c + d + e, nil
}

// ReturnedInDurableCode: where the closure runs in durable code, so does
// the literal.
func ReturnedInDurableCode(ctx *durable.Context) (string, error) {
	now := retried(func() (time.Time, error) {
		return time.Now(), nil // want `nondeterminism: time.Now in durable code`
	})
	t, _ := now()
	op := retried(func() (string, error) {
		return os.Getenv("A"), nil // want `nondeterminism: os.Getenv in durable code`
	})
	s, err := durable.Step(ctx, "a", func(*durable.StepContext) (string, error) { return op() })
	_ = eager(func() string {
		return os.Getenv("B") // want `nondeterminism: os.Getenv in durable code`
	})
	v, _ := op()
	return t.String() + s + v, err
}

// paced returns f paced by a pause, through a local closure it returns.
func paced(f func() error) func() error {
	run := func() error {
		time.Sleep(time.Second)
		return f()
	}
	return run
}

// Paced: making the paced function pauses nowhere; calling it in durable
// code does.
func Paced(ctx *durable.Context) error {
	op := paced(func() error { return nil })
	if _, err := durable.Step(ctx, "p", func(*durable.StepContext) (bool, error) { return true, op() }); err != nil {
		return err
	}
	return paced(func() error { return nil })() // want `nondeterminism: time.Sleep in durable code \(via stepcode.paced's result\)`
}
