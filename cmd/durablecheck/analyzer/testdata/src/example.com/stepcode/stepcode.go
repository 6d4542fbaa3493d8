// Package stepcode: closures that only step code uses, in the ways a
// step body uses them, are step code.
package stepcode

import (
	"context"
	"fmt"
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

// steps runs each of fns in a step of its own: the literals given to it
// are step code.
func steps(ctx *durable.Context, fns ...func() error) error {
	for i, f := range fns {
		if _, err := durable.Step(ctx, fmt.Sprint("step-", i, "-of-", len(fns)), func(*durable.StepContext) (bool, error) { return true, f() }); err != nil {
			return err
		}
	}
	return nil
}

// firstInStep runs the first of fns in a step, and the others in
// durable code.
func firstInStep(ctx *durable.Context, fns ...func() error) error {
	_, err := durable.Step(ctx, "first", func(*durable.StepContext) (bool, error) { return true, fns[0]() })
	for _, f := range fns[1:] {
		_ = f()
	}
	return err
}

// allInSteps hands fns on to steps.
func allInSteps(ctx *durable.Context, fns ...func() error) error { return steps(ctx, fns...) }

func Variadic(ctx *durable.Context, path string) error {
	if err := allInSteps(ctx, func() error { return os.Chdir(os.TempDir()) }); err != nil {
		return err
	}
	read := func() error { _, err := os.ReadFile(path); return err }
	if err := steps(ctx, read, func() error { return os.Setenv("AT", time.Now().String()) }); err != nil {
		return err
	}
	return firstInStep(ctx, func() error {
		return os.Remove(path) // want `nondeterminism: os.Remove in durable code`
	})
}

// withRetry returns f retried with a backoff: the backoff sleeps where
// the function it returns is called, not where withRetry is.
func withRetry(f func() error) func() error {
	return func() error {
		for i := 0; ; i++ {
			if err := f(); err == nil || i == 3 {
				return err
			}
			time.Sleep(time.Second)
		}
	}
}

// ping is what a step retries.
func ping() error { return os.Chdir(os.TempDir()) }

// sleeper sleeps before it returns a function.
func sleeper() func() {
	time.Sleep(time.Second)
	return func() {}
}

func Factory(ctx *durable.Context) error {
	op := withRetry(ping)
	_, err := durable.Step(ctx, "ping", func(*durable.StepContext) (bool, error) { return true, op() })
	sleeper() // want `nondeterminism: time.Sleep in durable code \(via stepcode.sleeper\)`
	return err
}

// FactoryInDurableCode: the function a helper returns runs where it is
// called: here in durable code.
func FactoryInDurableCode(ctx *durable.Context) error { // want FactoryInDurableCode:"runs no durable operation"
	op := withRetry(ping)
	if err := op(); err != nil { // want `nondeterminism: time.Sleep in durable code \(via stepcode.withRetry's result\)`
		return err
	}
	return withRetry(ping)() // want `nondeterminism: time.Sleep in durable code \(via stepcode.withRetry's result\)`
}
