// Package zerologadapter lets a durable function log through a
// github.com/rs/zerolog logger.
//
// Wrap a zerolog.Logger with New and hand the result to durable.WithLogger
// or Context.SetLogger. Lines keep the logger's own configuration (field
// names, level names, time format, hooks, sampling); NewLambdaLogger and
// NewLambdaWriter offer the JSON shape Lambda's Advanced Logging Controls
// understand, without touching zerolog's package-level settings.
//
// Fields reach zerolog as typed fields (Str, Int64, Float64, Dur, Time,
// nested Dict for groups ...), so an emitted line costs about what the same
// line written with zerolog directly costs, and a line below the logger's
// level costs nothing beyond the level check.
//
// Replay deduplication happens in core, before a line reaches the adapter:
// a *Logger used directly, not through Context.Logger, prints on every
// replay.
package zerologadapter

import (
	"log/slog"

	durable "github.com/durable-go/durable-go/core"
	"github.com/rs/zerolog"
)

// Logger is a durable.LoggerInterface that writes through a zerolog.Logger.
// It also implements durable.LevelEnabler, durable.Binder and
// durable.AttrLogger, so core checks levels, binds enrichment once per
// context and passes slog.Attr fields without boxing them. A Logger is safe
// for concurrent use when the zerolog.Logger's writer is.
type Logger struct {
	zl  zerolog.Logger
	cfg config
}

// Compile-time checks that Logger offers every optional extension.
var (
	_ durable.LoggerInterface = (*Logger)(nil)
	_ durable.LevelEnabler    = (*Logger)(nil)
	_ durable.Binder          = (*Logger)(nil)
	_ durable.AttrLogger      = (*Logger)(nil)
	_ durable.CallerSkipper   = (*Logger)(nil)
)

// ownFrames is the number of the adapter's stack frames between the code
// calling a Logger method and zerolog's Event.Msg: the method itself and
// send. zerolog's Caller() hook skips them, so the caller field points at
// the user's code.
const ownFrames = 2

// New returns a Logger that writes through l, as it is configured: level,
// writer, hooks, sampling and fields bound with l.With() all apply.
func New(l zerolog.Logger, opts ...Option) *Logger {
	return &Logger{zl: l, cfg: newConfig(opts)}
}

// Zerolog returns the zerolog.Logger underneath, including the fields bound
// with With. Lines logged on it directly bypass replay deduplication.
func (l *Logger) Zerolog() zerolog.Logger { return l.zl }

// Debug logs at zerolog.DebugLevel.
func (l *Logger) Debug(msg string, args ...any) {
	if e := l.zl.Debug(); e != nil {
		l.send(appendArgs(e, args), msg)
	}
}

// Info logs at zerolog.InfoLevel.
func (l *Logger) Info(msg string, args ...any) {
	if e := l.zl.Info(); e != nil {
		l.send(appendArgs(e, args), msg)
	}
}

// Warning logs at zerolog.WarnLevel.
func (l *Logger) Warning(msg string, args ...any) {
	if e := l.zl.Warn(); e != nil {
		l.send(appendArgs(e, args), msg)
	}
}

// Error logs at zerolog.ErrorLevel.
func (l *Logger) Error(msg string, args ...any) {
	if e := l.zl.Error(); e != nil {
		l.send(appendArgs(e, args), msg)
	}
}

// Exception logs at zerolog.ErrorLevel with errorType (err's Go type, as
// durable.ErrorType names it), errorMessage and, when available,
// stackTrace, ahead of args. The stack trace comes from err (or an error it
// wraps) when it implements durable.StackTracer, otherwise from
// zerolog.ErrorStackMarshaler when it is set (for example to
// pkgerrors.MarshalStack). A nil err logs no error fields.
func (l *Logger) Exception(msg string, err error, args ...any) {
	if e := l.zl.Error(); e != nil {
		l.send(appendArgs(appendError(e, err), args), msg)
	}
}

// Enabled reports whether the zerolog.Logger emits lines at level, by its
// own level and zerolog's global level. Sampling is left to zerolog: a
// sampled-out line still counts as enabled.
func (l *Logger) Enabled(level durable.Level) bool {
	zl := zerologLevel(level)
	lowest := l.zl.GetLevel()
	return lowest != zerolog.Disabled && zl >= lowest && zl >= zerolog.GlobalLevel()
}

// With returns a Logger that adds args to every line. The fields are
// encoded once, into a child zerolog.Logger's context (l.With()...Logger()),
// rather than on every call. Args follow the same rules as the logging
// methods. zerolog does not deduplicate keys: a call's field with the same
// key as a bound one appears after it in the line, so JSON readers that
// keep the last value of a key, like encoding/json, see the call's value.
func (l *Logger) With(args ...any) durable.LoggerInterface {
	if len(args) == 0 {
		return l
	}
	zl := l.zl.With().EmbedObject(argsObject(args)).Logger()
	return &Logger{zl: zl, cfg: l.cfg}
}

// AddCallerSkip returns a Logger that reports the caller skip frames
// further up (durable.CallerSkipper). Core calls it with its own frame
// count, so that lines logged through a durable context report the user's
// code as their caller.
func (l *Logger) AddCallerSkip(skip int) durable.LoggerInterface {
	cfg := l.cfg
	cfg.callerSkip += max(skip, 0)
	return &Logger{zl: l.zl, cfg: cfg}
}

// LogAttrs logs attrs at level as typed zerolog fields. Levels between the
// four named ones round down (slog.LevelInfo+2 logs at info).
func (l *Logger) LogAttrs(level durable.Level, msg string, attrs ...slog.Attr) {
	if e := l.event(level); e != nil {
		l.send(appendAttrs(e, attrs), msg)
	}
}

// event starts a zerolog event at level, rounded down as by zerologLevel,
// or returns nil when the logger drops it. It calls the level's method
// directly, which is cheaper than zerolog's WithLevel.
func (l *Logger) event(level durable.Level) *zerolog.Event {
	switch {
	case level < durable.LevelInfo:
		return l.zl.Debug()
	case level < durable.LevelWarning:
		return l.zl.Info()
	case level < durable.LevelError:
		return l.zl.Warn()
	default:
		return l.zl.Error()
	}
}

// send writes e with msg. It must be called directly from an exported
// method, so that ownFrames is right.
func (l *Logger) send(e *zerolog.Event, msg string) {
	e.CallerSkipFrame(ownFrames + l.cfg.callerSkip).Msg(msg)
}

// zerologLevel maps a durable (slog) level to zerolog's, rounding levels in
// between down.
func zerologLevel(level durable.Level) zerolog.Level {
	switch {
	case level < durable.LevelInfo:
		return zerolog.DebugLevel
	case level < durable.LevelWarning:
		return zerolog.InfoLevel
	case level < durable.LevelError:
		return zerolog.WarnLevel
	default:
		return zerolog.ErrorLevel
	}
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

// WithCallerSkip makes a logger with zerolog's Caller() report the caller
// skip frames further up the stack than the code calling the Logger. Use
// it when the Logger sits behind your own logging helpers. Negative values
// count as zero.
func WithCallerSkip(skip int) Option {
	return func(c *config) { c.callerSkip = max(skip, 0) }
}
