package durable

import "log/slog"

// Level is a log level. It is log/slog's Level, so slog's constants and
// any slog.Leveler interoperate directly.
type Level = slog.Level

// The four levels of the logger contract. Exception logs at LevelError.
const (
	LevelDebug   Level = slog.LevelDebug
	LevelInfo    Level = slog.LevelInfo
	LevelWarning Level = slog.LevelWarn
	LevelError   Level = slog.LevelError
)

// Extra is a set of extra fields for one log call, the counterpart of
// Python's extra= dict. Pass it among a call's args; its keys are emitted
// in sorted order and override enrichment of the same name.
type Extra map[string]any

// LoggerInterface is what a logger must implement to receive a durable
// function's log lines: the five levels of the Python SDK's logger
// protocol. Args follow log/slog conventions: alternating key/value pairs,
// slog.Attr values and Extra maps, in any mix.
//
// Adapters for zap, zerolog, logrus and log/slog live in their own modules.
// A LoggerInterface knows nothing about replay: the context logger returned
// by Context.Logger decides whether a line is printed before it calls it.
//
// Like io.Writer, an implementation must not retain args after the call
// returns: core may pass a pooled slice, which keeps dropped calls free of
// allocations.
type LoggerInterface interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warning(msg string, args ...any)
	Error(msg string, args ...any)
	// Exception logs at error level with err's type, message and, when
	// available, stack trace. err may be nil.
	Exception(msg string, err error, args ...any)
}

// LevelEnabler is an optional LoggerInterface extension: it lets core skip
// building a call for a level the logger would discard anyway.
type LevelEnabler interface {
	Enabled(level Level) bool
}

// Binder is an optional LoggerInterface extension: it returns a logger that
// adds args to every line. Core binds a context's enrichment once through it
// instead of passing the fields on every call.
type Binder interface {
	With(args ...any) LoggerInterface
}

// CallerSkipper is an optional LoggerInterface extension for loggers that
// report the file and line of the logging call (zap's AddCaller, zerolog's
// Caller, logrus's ReportCaller). Core calls AddCallerSkip once per logger
// it wraps, with the number of its own frames between the user's call and
// the logger's method, so that the reported caller is the user's code.
type CallerSkipper interface {
	AddCallerSkip(skip int) LoggerInterface
}

// AttrLogger is an optional LoggerInterface extension: the typed fast path,
// which carries slog.Attr values to the native logger without boxing them.
type AttrLogger interface {
	LogAttrs(level Level, msg string, attrs ...slog.Attr)
}
