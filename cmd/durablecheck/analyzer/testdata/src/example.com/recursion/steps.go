package recursion

import (
	"os"

	durable "github.com/durable-go/durable-go/core"
)

// stepA and stepB hand fn to each other and call it only in a step body:
// a function literal given to either is step code.
func stepA(ctx *durable.Context, n int, fn func() string) string {
	if n > 0 {
		return stepB(ctx, n-1, fn)
	}
	s, _ := durable.Step(ctx, "a", func(*durable.StepContext) (string, error) { return fn(), nil })
	return s
}

func stepB(ctx *durable.Context, n int, fn func() string) string { return stepA(ctx, n, fn) }

func Steps(ctx *durable.Context, n int) (string, error) {
	a := stepA(ctx, n, func() string { return os.Getenv("A") })
	b := stepB(ctx, n, func() string { return os.Getenv("B") })
	return a + b, nil
}

// durA and durB hand fn to each other, and durB also calls it in durable
// code: a function literal given to either is durable code.
func durA(ctx *durable.Context, n int, fn func() string) string {
	if n > 0 {
		return durB(ctx, n-1, fn)
	}
	s, _ := durable.Step(ctx, "a", func(*durable.StepContext) (string, error) { return fn(), nil })
	return s
}

func durB(ctx *durable.Context, n int, fn func() string) string { return durA(ctx, n, fn) + fn() }

func Durable(ctx *durable.Context, n int) (string, error) {
	a := durA(ctx, n, func() string {
		return os.Getenv("A") // want `nondeterminism: os.Getenv in durable code`
	})
	b := durB(ctx, n, func() string {
		return os.Getenv("B") // want `nondeterminism: os.Getenv in durable code`
	})
	return a + b, nil
}
