// Package transitive: durable code calling helpers, in this package and
// in another.
package transitive

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"example.com/helpers"
	durable "github.com/durable-go/durable-go/core"
)

func Handler(ctx *durable.Context, in string) (string, error) {
	_ = helpers.Stamp()       // want `nondeterminism: time.Now in durable code \(via helpers.Stamp\) returns a different value on replay`
	helpers.Audit("hi")       // want `logging: slog.Info in durable code \(via helpers.Audit → helpers.audit\) prints again` `nondeterminism: time.Now in durable code \(via helpers.Audit → helpers.audit\)`
	_ = helpers.Clock{}.Now() // want `nondeterminism: time.Now in durable code \(via helpers.Clock.Now\)`
	_ = helpers.Pure(in)
	_ = helpers.Settled()
	_ = helpers.Durable(ctx)
	_, _ = durable.Step(ctx, "stamp", helpers.StepBody)
	_ = stage()         // want `nondeterminism: os.Getenv in durable code \(via transitive.stage → transitive.env\)`
	_ = d1()            // want `nondeterminism: time.Now in durable code \(via transitive.d1 → transitive.d2 → transitive.d3 → transitive.d4 → transitive.d5 → transitive.d6 → transitive.d7 → transitive.d8\)`
	_ = e1()            // beyond the depth limit: not followed
	_ = recursive(3)    // want `nondeterminism: time.Now in durable code \(via transitive.recursive\)`
	debugf("in %s", in) // want `logging: println in durable code \(via transitive.debugf\) prints again on every replay`

	// A helper in another package logging through the logger it is
	// handed: the slog view is fine, any other logger is reported.
	helpers.LogTo("view", ctx.Logger().Slog())
	helpers.HandleTo(ctx.Logger().Handler())
	helpers.LogTo("default", slog.Default())              // want `logging: slog.Logger.Info in durable code \(via helpers.LogTo → helpers.logTo\) prints again`
	helpers.HandleTo(slog.NewTextHandler(os.Stderr, nil)) // want `logging: slog.Logger.Warn in durable code \(via helpers.HandleTo\) prints again`

	// A helper of another package handed the context: its fact says
	// whether it runs operations.
	ids := map[string]bool{in: true}
	for id := range ids {
		helpers.Note(ctx, id)
	}
	for id := range ids { // want `maprange: range over a map runs durable operations`
		_ = helpers.Charge(ctx, id)
	}
	go helpers.Note(ctx, "async")

	_ = helpers.Now()                                  // want `nondeterminism: time.Now in durable code \(via helpers.Now\)`
	_ = helpers.Backoff(func() error { return nil })() // want `nondeterminism: time.Sleep in durable code \(via helpers.Backoff's result\)`
	retried := helpers.Backoff(func() error { return nil })
	_ = retried() // want `nondeterminism: time.Sleep in durable code \(via helpers.Backoff's result\)`

	// A function literal handed to another package's step wrapper is
	// step code.
	_, _ = helpers.InStep(ctx, "stamp", func() (string, error) { return time.Now().String(), nil })

	// A method of another package running operations on a context it
	// keeps fails in a step body.
	saga := &helpers.Saga{Ctx: ctx}
	_ = saga.Pause()
	_, _ = durable.Step(ctx, "paused", func(*durable.StepContext) (bool, error) {
		return true, saga.Pause() // want `stepctx: the step body calls helpers.Saga.Pause, which runs durable operations on s.Ctx`
	})

	// Helpers called from a step body are not durable code.
	_, err := durable.Step(ctx, "in-step", func(sc *durable.StepContext) (string, error) {
		return stage() + helpers.Stamp(), nil
	})
	return in, err
}

func stage() string       { return env("STAGE") }
func env(k string) string { return os.Getenv(k) }

func d1() time.Time { return d2() }
func d2() time.Time { return d3() }
func d3() time.Time { return d4() }
func d4() time.Time { return d5() }
func d5() time.Time { return d6() }
func d6() time.Time { return d7() }
func d7() time.Time { return d8() }
func d8() time.Time { return time.Now() }

func e1() time.Time { return e2() }
func e2() time.Time { return e3() }
func e3() time.Time { return e4() }
func e4() time.Time { return e5() }
func e5() time.Time { return e6() }
func e6() time.Time { return e7() }
func e7() time.Time { return e8() }
func e8() time.Time { return e9() }
func e9() time.Time { return time.Now() }

func recursive(n int) time.Time {
	if n == 0 {
		return time.Now()
	}
	return recursive(n - 1)
}

func debugf(format string, args ...any) { println(fmt.Sprintf(format, args...)) }
