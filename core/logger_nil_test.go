package durable_test

import (
	"testing"

	durable "github.com/durable-go/durable-go/core"
)

// unsetLogger is a logger type whose methods use their receiver, as an
// adapter's do: a nil *unsetLogger panics on its first line.
type unsetLogger struct{ prefix string }

func (l *unsetLogger) Debug(msg string, _ ...any)   { _ = l.prefix + msg }
func (l *unsetLogger) Info(msg string, _ ...any)    { _ = l.prefix + msg }
func (l *unsetLogger) Warning(msg string, _ ...any) { _ = l.prefix + msg }
func (l *unsetLogger) Error(msg string, _ ...any)   { _ = l.prefix + msg }
func (l *unsetLogger) Exception(msg string, _ error, _ ...any) {
	_ = l.prefix + msg
}

// A nil pointer of a logger type (a package-level *zapadapter.Logger the
// program never set, say) is no logger: WithLogger and SetLogger keep
// the one there is, as they do for a nil interface, instead of failing
// the execution with a panic at the first line.
func TestNilPointerLoggerKeepsTheDefault(t *testing.T) {
	var unset *unsetLogger
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		ctx.SetLogger(unset)
		ctx.Logger().Info("still logs", "k", "v")
		return "ok", nil
	}, durable.WithLogger(unset))
	exec := run(t, h, nil)
	wantResult(t, exec, `"ok"`)
	wantPrintedOnce(t, exec, "still logs")
}
