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
)

// Logger is a durable.LoggerInterface that writes through a slog.Handler.
// It also implements durable.Emitter, durable.LevelEnabler, durable.Binder
// and durable.AttrLogger, so core checks levels, binds enrichment once per
// context and hands over each line's attributes normalized. Records reach
// the handler with the invocation's or step's context.Context and, for
// AddSource, the user's call site as their PC. A Logger is safe for
// concurrent use when its handler is.
//
// The lines themselves are built by durable.NewSlogLogger, core's own
// slog-backed logger, so they read the same as the default logger's; this
// type adds access to the native logger and handler.
type Logger struct {
	sink    durable.Emitter // durable.NewSlogLogger(handler)
	handler slog.Handler
	native  *slog.Logger // the logger given to New, or nil
	cfg     config
}

// Compile-time checks that Logger offers every optional extension.
var (
	_ durable.LoggerInterface = (*Logger)(nil)
	_ durable.Emitter         = (*Logger)(nil)
	_ durable.CallerReporter  = (*Logger)(nil)
	_ durable.LevelEnabler    = (*Logger)(nil)
	_ durable.Binder          = (*Logger)(nil)
	_ durable.AttrLogger      = (*Logger)(nil)
)

// New returns a Logger that writes through l's handler. A nil l means
// slog.Default().
func New(l *slog.Logger, opts ...Option) *Logger {
	if l == nil {
		l = slog.Default()
	}
	lg := NewHandler(l.Handler(), opts...)
	lg.native = l
	return lg
}

// NewHandler returns a Logger that writes through h. A nil h means the
// handler of slog.Default().
func NewHandler(h slog.Handler, opts ...Option) *Logger {
	if h == nil {
		h = slog.Default().Handler()
	}
	return newLogger(h, newConfig(opts))
}

func newLogger(h slog.Handler, cfg config) *Logger {
	// NewSlogLogger documents Emitter; the assertion is made once here.
	sink, _ := durable.NewSlogLogger(h).(durable.Emitter)
	return &Logger{sink: sink, handler: h, cfg: cfg}
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

// Debug logs at slog.LevelDebug.
func (l *Logger) Debug(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelDebug, msg, nil, args)
}

// Info logs at slog.LevelInfo.
func (l *Logger) Info(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelInfo, msg, nil, args)
}

// Warning logs at slog.LevelWarn.
func (l *Logger) Warning(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelWarning, msg, nil, args)
}

// Error logs at slog.LevelError.
func (l *Logger) Error(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelError, msg, nil, args)
}

// Exception logs at slog.LevelError with errorType, errorMessage and, when
// err (or an error it wraps) implements durable.StackTracer, stackTrace,
// ahead of args (see durable.ErrorAttrs). A nil err logs no error fields.
func (l *Logger) Exception(msg string, err error, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelError, msg, err, args)
}

// LogAttrs logs attrs at level, passing them to the handler as they are.
func (l *Logger) LogAttrs(level durable.Level, msg string, attrs ...slog.Attr) {
	durable.EmitAttrs(context.Background(), l, level, msg, attrs)
}

// Enabled reports whether the handler emits lines at level.
func (l *Logger) Enabled(level durable.Level) bool {
	return l.handler.Enabled(context.Background(), level)
}

// ReportsCaller reports true: slog records carry their call site (PC),
// which handlers with AddSource print (durable.CallerReporter).
func (l *Logger) ReportsCaller() bool { return true }

// With returns a Logger that adds args to every line, through the
// handler's WithAttrs, so they are formatted once rather than per call.
// Args follow the same rules as the logging methods.
func (l *Logger) With(args ...any) durable.LoggerInterface {
	attrs := durable.ArgsToAttrs(args...)
	if len(attrs) == 0 {
		return l
	}
	return newLogger(l.handler.WithAttrs(attrs), l.cfg)
}

// Emit hands r to the handler as a slog.Record with ctx (durable.Emitter).
func (l *Logger) Emit(ctx context.Context, r *durable.Record) { l.sink.Emit(ctx, r) }

// Option configures a Logger. Every adapter module spells its options the
// same way. The slog adapter has none of its own yet: slog is configured
// through its handler (level, ReplaceAttr), which the adapter leaves as it is.
type Option func(*config)

// config is everything an Option can set.
type config struct{}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}
