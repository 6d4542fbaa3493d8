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
	"runtime"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Logger is a durable.LoggerInterface that writes through a slog.Handler.
// It also implements durable.LevelEnabler, durable.Binder and
// durable.AttrLogger, so core checks levels, binds enrichment once per
// context and passes slog.Attr fields without boxing them. A Logger is safe
// for concurrent use when its handler is.
type Logger struct {
	handler slog.Handler
	native  *slog.Logger // the logger given to New, or nil
	cfg     config
}

// Compile-time checks that Logger offers every optional extension.
var (
	_ durable.LoggerInterface = (*Logger)(nil)
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
	return &Logger{handler: h, cfg: newConfig(opts)}
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
func (l *Logger) Debug(msg string, args ...any) { l.log(slog.LevelDebug, msg, nil, args) }

// Info logs at slog.LevelInfo.
func (l *Logger) Info(msg string, args ...any) { l.log(slog.LevelInfo, msg, nil, args) }

// Warning logs at slog.LevelWarn.
func (l *Logger) Warning(msg string, args ...any) { l.log(slog.LevelWarn, msg, nil, args) }

// Error logs at slog.LevelError.
func (l *Logger) Error(msg string, args ...any) { l.log(slog.LevelError, msg, nil, args) }

// Exception logs at slog.LevelError with errorType, errorMessage and, when
// err (or an error it wraps) has a StackTrace() []string method,
// stackTrace, ahead of args. A nil err logs no error fields.
func (l *Logger) Exception(msg string, err error, args ...any) {
	l.log(slog.LevelError, msg, err, args)
}

// Enabled reports whether the handler emits lines at level.
func (l *Logger) Enabled(level durable.Level) bool {
	return l.handler.Enabled(context.Background(), level)
}

// With returns a Logger that adds args to every line, through the
// handler's WithAttrs, so they are formatted once rather than per call.
// Args follow the same rules as the logging methods.
func (l *Logger) With(args ...any) durable.LoggerInterface {
	attrs := argsToAttrs(args)
	if len(attrs) == 0 {
		return l
	}
	return &Logger{handler: l.handler.WithAttrs(attrs), cfg: l.cfg}
}

// LogAttrs logs attrs at level, passing them to the handler as they are.
func (l *Logger) LogAttrs(level durable.Level, msg string, attrs ...slog.Attr) {
	l.logAttrs(level, msg, attrs)
}

// logAttrs is LogAttrs at the same call depth as log, so that callerPC
// finds the caller with one skip count.
func (l *Logger) logAttrs(level slog.Level, msg string, attrs []slog.Attr) {
	ctx := context.Background()
	if !l.handler.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, msg, l.callerPC())
	r.AddAttrs(attrs...)
	_ = l.handler.Handle(ctx, r)
}

// log is the common path of the five LoggerInterface methods. It checks the
// level before building anything, as slog.Logger does.
func (l *Logger) log(level slog.Level, msg string, err error, args []any) {
	ctx := context.Background()
	if !l.handler.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, msg, l.callerPC())
	if err != nil {
		addError(&r, err)
	}
	addArgs(&r, args)
	_ = l.handler.Handle(ctx, r)
}

// callerPC returns the program counter of the code that called a logging
// method, for handlers with AddSource. It must be called directly from log
// or logAttrs, themselves called directly from an exported method.
func (l *Logger) callerPC() uintptr {
	// Skip runtime.Callers, callerPC, log or logAttrs, the exported method.
	const ownFrames = 4
	var pcs [1]uintptr
	runtime.Callers(ownFrames+l.cfg.callerSkip, pcs[:])
	return pcs[0]
}

// Option configures a Logger. Every adapter module spells its options the
// same way.
type Option func(*config)

// config is everything an Option can set.
type config struct {
	callerSkip int
}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithCallerSkip makes handlers with AddSource report the caller skip
// frames further up the stack than the code calling the Logger. Use it when
// the Logger sits behind your own logging helpers. Negative values count
// as zero.
func WithCallerSkip(skip int) Option {
	return func(c *config) { c.callerSkip = max(skip, 0) }
}
