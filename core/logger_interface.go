package durable

import (
	"github.com/durable-go/durable-go/core/internal/logattr"
)

// Extra is a set of extra fields for one log call, the counterpart of
// Python's extra= dict. Pass it among a call's args; its keys are emitted
// in sorted order and override enrichment of the same name.
type Extra map[string]any

func init() {
	logattr.AsExtra = func(v any) (logattr.Extra, bool) {
		e, ok := v.(Extra)
		return e, ok
	}
}

// LoggerInterface is what a logger must implement to receive a durable
// function's log lines: the five levels of the Python SDK's logger
// protocol.
//
// What a plain LoggerInterface (one without the optional extensions of
// package logsink) receives from core is flat: alternating string keys and
// values. Core expands Extra maps and slog.Attr values before the call (a
// group becomes a nested map[string]any under its key, a slog.LogValuer its
// resolved value, and values are what slog.Value.Any returns, integers as
// int64), and Exception also receives errorType, errorMessage and, when
// known, stackTrace among the args. The args are the logger's to keep: core
// never reuses them.
//
// Adapters for zap, zerolog, logrus and log/slog live in their own modules.
// A logger of your own needs only these five methods; the optional
// extensions that make it faster (Enabled, With, LogAttrs, Emit) are in
// package logsink, whose Logger has this method set. A LoggerInterface
// knows nothing about replay: the context logger returned by Context.Logger
// decides whether a line is printed before it calls it.
type LoggerInterface interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warning(msg string, args ...any)
	Error(msg string, args ...any)
	// Exception logs at error level with err's type, message and, when
	// available, stack trace. err may be nil.
	Exception(msg string, err error, args ...any)
}
