// Package helpers is called from durable code in another package: its
// effects reach there through facts.
package helpers

import (
	"log/slog"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Stamp reads the clock.
func Stamp() string { // want Stamp:"nondeterminism: helpers.Stamp → time.Now"
	return time.Now().Format(time.RFC3339)
}

// Audit logs and reads the clock, through an unexported helper.
func Audit(msg string) { // want Audit:"logging: helpers.Audit → helpers.audit → slog.Info; nondeterminism: helpers.Audit → helpers.audit → time.Now"
	audit(msg)
}

func audit(msg string) {
	slog.Info(msg, "at", time.Now())
}

// Pure has no effect.
func Pure(s string) string { return s + "!" }

// Clock is a type with a method.
type Clock struct{}

// Now reads the clock.
func (Clock) Now() time.Time { return time.Now() } // want Now:"nondeterminism: helpers.Clock.Now → time.Now"

// Settled suppresses its own finding, so it carries no fact.
func Settled() time.Time {
	return time.Now() //durable:ignore nondeterminism the value only feeds a metric
}

// Durable takes a durable context: it is checked where it is declared,
// not followed into.
func Durable(ctx *durable.Context) time.Time { return time.Now() } // want `nondeterminism: time.Now in durable code` Durable:"runs no durable operation"

// Note only logs through the context it is handed.
func Note(ctx *durable.Context, msg string) { // want Note:"runs no durable operation"
	ctx.Logger().Info(msg)
}

// Charge runs an operation on the context it is handed: no fact.
func Charge(ctx *durable.Context, id string) error {
	_, err := durable.Step(ctx, id, func(*durable.StepContext) (bool, error) { return true, nil })
	return err
}

// StepBody is a step body: not followed into.
func StepBody(sc *durable.StepContext) (time.Time, error) { return time.Now(), nil }

// LogTo logs through the logger it is handed: a finding only where that
// is not the durable Logger's slog view.
func LogTo(msg string, log *slog.Logger) { // want LogTo:"logging: helpers.LogTo → helpers.logTo → slog.Logger.Info \\(through parameter 2\\)"
	logTo(log.With("helper", "LogTo"), msg)
}

func logTo(log *slog.Logger, msg string) { log.Info(msg) }

// HandleTo logs through a handler it is handed.
func HandleTo(h slog.Handler) { // want HandleTo:"logging: helpers.HandleTo → slog.Logger.Warn \\(through parameter 1\\)"
	slog.New(h.WithGroup("helper")).Warn("handled")
}

// InStep runs fn in a durable step.
func InStep(ctx *durable.Context, name string, fn func() (string, error)) (string, error) { // want InStep:"calls parameter 3 only in step bodies"
	return durable.Step(ctx, name, func(*durable.StepContext) (string, error) { return fn() })
}

// Now is the clock, a variable so that tests can replace it.
var Now = time.Now // want Now:"nondeterminism: helpers.Now → time.Now"

// Retried returns fn retried once: it calls fn only in the closure it
// returns.
func Retried(fn func() (string, error)) func() (string, error) { // want Retried:"calls parameter 1 only in the closures it returns"
	return func() (string, error) {
		if s, err := fn(); err == nil {
			return s, nil
		}
		return fn()
	}
}

// Backoff returns fn retried after a pause: the pause happens where the
// function it returns is called.
func Backoff(fn func() error) func() error { // want Backoff:"calls parameter 1 only in the closures it returns" Backoff:"returns a function: nondeterminism: helpers.Backoff's result → time.Sleep"
	return func() error {
		if err := fn(); err == nil {
			return nil
		}
		time.Sleep(time.Second)
		return fn()
	}
}

// FileStore keeps orders in files.
type FileStore struct{ Dir string }

// Load reads an order.
func (s FileStore) Load(id string) (string, error) { // want Load:"nondeterminism: helpers.FileStore.Load → os.ReadFile"
	b, err := os.ReadFile(s.Dir + "/" + id)
	return string(b), err
}

// Saga keeps the context of the handler that runs it.
type Saga struct{ Ctx *durable.Context }

// Pause runs an operation on it.
func (s *Saga) Pause() error { return durable.Wait(s.Ctx, "pause", time.Second) } // want Pause:"runs durable operations on s.Ctx"

// InChild runs fn as a child context.
func InChild[T any](ctx *durable.Context, name string, fn func(*durable.Context) (T, error)) (T, error) { // want InChild:"runs parameter 3 as the child function"
	return durable.RunInChildContext(ctx, name, fn)
}

// Clocks are injected functions; the package using them sets them.
type Clocks struct {
	Now func() time.Time
}
