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
	"context"
	"log/slog"

	durable "github.com/durable-go/durable-go/core"
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
// The lines themselves are built by durable.NewSlogLogger, core's own
// slog-backed logger, so they read the same as the default logger's; this
// type adds access to the native logger and handler.
type Logger struct {
	// EmitterMethods are Debug, Info, Warning (slog.LevelWarn), Error,
	// Exception and LogAttrs.
	logsink.EmitterMethods
	sink    logsink.Emitter // durable.NewSlogLogger(handler)
	handler slog.Handler
	native  *slog.Logger // the logger given to New, or nil
}

// Logger offers every optional extension core discovers.
var _ logsink.Adapter = (*Logger)(nil)

// New returns a Logger that writes through l's handler. A nil l means
// slog.Default().
func New(l *slog.Logger) *Logger {
	if l == nil {
		l = slog.Default()
	}
	lg := NewHandler(l.Handler())
	lg.native = l
	return lg
}

// NewHandler returns a Logger that writes through h. A nil h means the
// handler of slog.Default().
func NewHandler(h slog.Handler) *Logger {
	if h == nil {
		h = slog.Default().Handler()
	}
	return newLogger(h)
}

func newLogger(h slog.Handler) *Logger {
	// NewSlogLogger documents Emitter; the assertion is made once here.
	sink, _ := durable.NewSlogLogger(h).(logsink.Emitter)
	l := &Logger{sink: sink, handler: h}
	l.EmitterMethods = logsink.NewEmitterMethods(l)
	return l
}

// Slog returns the *slog.Logger underneath: the one given to New, or one
// over Handler for a Logger made by NewHandler or With. Lines logged on it
// directly bypass replay deduplication.
func (l *Logger) Slog() *slog.Logger {
	if l.native != nil {
		return l.native
	}
	return slog.New(l.handler)
}

// Handler returns the slog.Handler the Logger writes through, including
// the attributes bound with With.
func (l *Logger) Handler() slog.Handler { return l.handler }

// Enabled reports whether the handler emits lines at level.
func (l *Logger) Enabled(level slog.Level) bool {
	return l.handler.Enabled(context.Background(), level)
}

// ReportsCaller reports true: slog records carry their call site (PC),
// which handlers with AddSource print (logsink.CallerReporter).
func (l *Logger) ReportsCaller() bool { return true }

// With returns a Logger that adds args to every line, through the
// handler's WithAttrs, so they are formatted once rather than per call.
// Args follow the same rules as the logging methods.
func (l *Logger) With(args ...any) logsink.Logger {
	attrs := logsink.ArgsToAttrs(args...)
	if len(attrs) == 0 {
		return l
	}
	return newLogger(l.handler.WithAttrs(attrs))
}

// Emit hands r to the handler as a slog.Record with ctx (logsink.Emitter).
func (l *Logger) Emit(ctx context.Context, r logsink.Record) { l.sink.Emit(ctx, r) }
