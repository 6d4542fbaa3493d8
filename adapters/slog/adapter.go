// Package slogadapter lets a durable function log through a log/slog
// logger or handler.
//
// Wrap a *slog.Logger with New (or a slog.Handler with NewHandler) and hand
// the result to durable.WithLogger or Context.SetLogger. Lines keep the
// handler's own configuration (keys, format, level); NewLambdaHandler offers
// a handler that writes the JSON shape Lambda's Advanced Logging Controls
// understand.
//
// Replay deduplication happens in core, before a line reaches the adapter:
// a *Logger used directly, not through Context.Logger, prints on every
// replay.
package slogadapter

import (
	"log/slog"

	"github.com/durable-go/durable-go/core/logsink"
)

// Logger is a durable.LoggerInterface that writes through a slog.Handler.
// It also implements logsink.Emitter, logsink.LevelEnabler, logsink.Binder
// and logsink.AttrLogger, so core checks levels, binds enrichment once per
// context and hands over each line's attributes normalized. Records reach
// the handler with the invocation's or step's context.Context and, for
// AddSource, the user's call site as their PC. A Logger is safe for
// concurrent use when its handler is.
//
// The lines themselves are written by the embedded logsink.SlogLogger,
// which is also core's default logger, so they read the same as the
// default logger's; this type adds access to the native logger.
type Logger struct {
	// SlogLogger gives the Logger Debug, Info, Warning (slog.LevelWarn),
	// Error, Exception, LogAttrs, Emit, Enabled and EnabledContext (the
	// handler's, the latter with the line's context),
	// ReportsCaller (true: slog records carry their PC) and Handler (the
	// handler, with the attributes bound by With).
	*logsink.SlogLogger
	native *slog.Logger // the logger given to New, or nil
}

// Logger offers every optional extension core discovers.
var _ logsink.Adapter = (*Logger)(nil)

// New returns a Logger that writes through l's handler. A nil l means
// slog.Default().
func New(l *slog.Logger) *Logger {
	if l == nil {
		l = slog.Default()
	}
	return &Logger{SlogLogger: logsink.NewSlogLogger(l.Handler()), native: l}
}

// NewHandler returns a Logger that writes through h. A nil h means the
// handler of slog.Default().
func NewHandler(h slog.Handler) *Logger {
	return &Logger{SlogLogger: logsink.NewSlogLogger(h)}
}

// Slog returns the *slog.Logger underneath: the one given to New, or one
// over Handler for a Logger made by NewHandler or With. Lines logged on it
// directly bypass replay deduplication.
func (l *Logger) Slog() *slog.Logger {
	if l.native != nil {
		return l.native
	}
	return slog.New(l.Handler())
}

// With returns a *Logger (as a logsink.Logger) that adds args to every
// line, through the handler's WithAttrs, so they are formatted once rather
// than per call. Args follow the same rules as the logging methods.
func (l *Logger) With(args ...any) logsink.Logger {
	bound, ok := l.SlogLogger.With(args...).(*logsink.SlogLogger)
	if !ok || bound == l.SlogLogger {
		return l
	}
	return &Logger{SlogLogger: bound}
}
