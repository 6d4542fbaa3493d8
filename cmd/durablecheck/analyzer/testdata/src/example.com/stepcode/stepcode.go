// Package stepcode: closures that only step code uses, in the ways a
// step body uses them, are step code.
package stepcode

import (
	"context"
	"net/http"
	"os"
	"sort"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// retry calls f until it succeeds: it calls f in durable code when
// durable code calls it.
func retry(ctx context.Context, f func() error) error {
	for i := 0; i < 3; i++ {
		if err := f(); err == nil {
			return nil
		}
	}
	return ctx.Err()
}

// Handed: a closure a step body hands to a function (of the package or
// another, such as sort.Slice) runs while the step runs.
func Handed(ctx *durable.Context, url string, xs []string) (bool, error) {
	op := func() error {
		_, err := http.Get(url)
		return err
	}
	less := func(i, j int) bool { return os.Getenv(xs[i]) < os.Getenv(xs[j]) }
	return durable.Step(ctx, "fetch", func(sc *durable.StepContext) (bool, error) {
		sort.Slice(xs, less)
		return true, retry(sc.Context(), op)
	})
}

// HandedInDurableCode: handed to the same function from durable code, it
// is durable code.
func HandedInDurableCode(ctx *durable.Context) error {
	op := func() error {
		_, err := http.Get("https://example.com") // want `nondeterminism: http.Get in durable code`
		return err
	}
	_, err := durable.Step(ctx, "fetch", func(sc *durable.StepContext) (bool, error) { return true, retry(sc.Context(), op) })
	if err != nil {
		return err
	}
	return retry(ctx.Context(), op)
}

// inStep hands fn on to retry inside its step: a literal given to it is
// step code.
func inStep(ctx *durable.Context, fn func() error) error {
	_, err := durable.Step(ctx, "in-step", func(sc *durable.StepContext) (bool, error) { return true, retry(sc.Context(), fn) })
	return err
}

func Wrapped(ctx *durable.Context) error {
	return inStep(ctx, func() error { return os.Setenv("STARTED", time.Now().String()) })
}
