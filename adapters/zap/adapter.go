// Package zapadapter lets a durable function log through a go.uber.org/zap
// logger.
//
// Wrap a *zap.Logger with New and hand the result to durable.WithLogger or
// Context.SetLogger. Lines keep the logger's own configuration (encoder,
// keys, level, sampling, hooks); NewLambdaLogger and LambdaEncoderConfig
// offer an opt-in configuration that writes the JSON shape Lambda's
// Advanced Logging Controls understand.
//
// Arguments follow log/slog's rules and become typed zap fields: strings,
// numbers, booleans, durations, times and errors never go through
// reflection, slog groups become nested objects and slog.LogValuer values
// are resolved only when a line is written.
//
// Replay deduplication happens in core, before a line reaches the adapter:
// a *Logger (or the *zap.Logger under it) used directly, not through
// Context.Logger, prints on every replay.
package zapadapter

import (
	"log/slog"

	durable "github.com/durable-go/durable-go/core"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Logger is a durable.LoggerInterface that writes through a *zap.Logger.
// It also implements durable.LevelEnabler, durable.Binder and
// durable.AttrLogger, so core checks levels, binds enrichment once per
// context and passes slog.Attr fields as typed zap fields. A Logger is safe
// for concurrent use.
type Logger struct {
	native *zap.Logger // the logger given to New, plus fields bound by With
	z      *zap.Logger // native, skipping the adapter's frames for callers and stacks
	cfg    config
}

// Compile-time checks that Logger offers every optional extension.
var (
	_ durable.LoggerInterface = (*Logger)(nil)
	_ durable.LevelEnabler    = (*Logger)(nil)
	_ durable.Binder          = (*Logger)(nil)
	_ durable.AttrLogger      = (*Logger)(nil)
	_ durable.CallerSkipper   = (*Logger)(nil)
)

// ownFrames is how many adapter frames sit between the code calling a
// Logger method and zap's Check: the exported method and log or logAttrs.
const ownFrames = 2

// New returns a Logger that writes through l, keeping l's configuration as
// it is. A nil l means zap.L(), zap's global logger at the time of the call.
func New(l *zap.Logger, opts ...Option) *Logger {
	if l == nil {
		l = zap.L()
	}
	return newLogger(l, newConfig(opts))
}

func newLogger(native *zap.Logger, cfg config) *Logger {
	return &Logger{
		native: native,
		z:      native.WithOptions(zap.AddCallerSkip(ownFrames + cfg.callerSkip)),
		cfg:    cfg,
	}
}

// Zap returns the *zap.Logger underneath: the one given to New, with the
// fields bound by With. Lines logged on it directly bypass replay
// deduplication.
func (l *Logger) Zap() *zap.Logger { return l.native }

// Debug logs at zapcore.DebugLevel.
func (l *Logger) Debug(msg string, args ...any) { l.log(zapcore.DebugLevel, msg, nil, args) }

// Info logs at zapcore.InfoLevel.
func (l *Logger) Info(msg string, args ...any) { l.log(zapcore.InfoLevel, msg, nil, args) }

// Warning logs at zapcore.WarnLevel.
func (l *Logger) Warning(msg string, args ...any) { l.log(zapcore.WarnLevel, msg, nil, args) }

// Error logs at zapcore.ErrorLevel.
func (l *Logger) Error(msg string, args ...any) { l.log(zapcore.ErrorLevel, msg, nil, args) }

// Exception logs at zapcore.ErrorLevel with errorType, errorMessage and,
// when err (or an error it wraps) has a StackTrace() []string method,
// stackTrace, ahead of args. That stack replaces the one zap would add for
// a logger built with zap.AddStacktrace, since it shows where the error
// arose. A nil err logs no error fields.
func (l *Logger) Exception(msg string, err error, args ...any) {
	l.log(zapcore.ErrorLevel, msg, err, args)
}

// Enabled reports whether the zap logger writes lines at level. Levels
// between the four durable levels round down, as slog levels do.
func (l *Logger) Enabled(level durable.Level) bool {
	return l.z.Core().Enabled(zapLevel(level))
}

// With returns a *Logger (as a durable.LoggerInterface) that adds args to
// every line through zap's Logger.With, so they are encoded once rather
// than per call. Args follow the same rules as the logging methods;
// slog.LogValuer values among them are resolved now.
func (l *Logger) With(args ...any) durable.LoggerInterface {
	fields := appendArgs(nil, args)
	if len(fields) == 0 {
		return l
	}
	return newLogger(l.native.With(fields...), l.cfg)
}

// AddCallerSkip returns a Logger that reports the caller skip frames
// further up (durable.CallerSkipper). Core calls it with its own frame
// count, so that lines logged through a durable context report the user's
// code as their caller.
func (l *Logger) AddCallerSkip(skip int) durable.LoggerInterface {
	cfg := l.cfg
	cfg.callerSkip += max(skip, 0)
	return newLogger(l.native, cfg)
}

// LogAttrs logs attrs at level, converting each slog.Attr to a typed zap
// field without boxing its value.
func (l *Logger) LogAttrs(level durable.Level, msg string, attrs ...slog.Attr) {
	l.logAttrs(zapLevel(level), msg, attrs)
}

// log is the common path of the five LoggerInterface methods. zap's Check
// comes first so that a disabled level builds and allocates nothing.
func (l *Logger) log(level zapcore.Level, msg string, err error, args []any) {
	ce := l.z.Check(level, msg)
	if ce == nil {
		return
	}
	fields := make([]zap.Field, 0, fieldsFor(args, err))
	if err != nil {
		fields = appendError(fields, err, ce)
	}
	ce.Write(appendArgs(fields, args)...)
}

// logAttrs is LogAttrs at the same call depth as log, so that one caller
// skip serves both.
func (l *Logger) logAttrs(level zapcore.Level, msg string, attrs []slog.Attr) {
	ce := l.z.Check(level, msg)
	if ce == nil {
		return
	}
	fields := make([]zap.Field, 0, len(attrs))
	ce.Write(appendAttrs(fields, attrs)...)
}

// zapLevel maps a durable (slog) level to zap's, rounding down between
// the four durable levels.
func zapLevel(level durable.Level) zapcore.Level {
	switch {
	case level >= durable.LevelError:
		return zapcore.ErrorLevel
	case level >= durable.LevelWarning:
		return zapcore.WarnLevel
	case level >= durable.LevelInfo:
		return zapcore.InfoLevel
	default:
		return zapcore.DebugLevel
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

// WithCallerSkip makes loggers built with zap.AddCaller (or
// zap.AddStacktrace) report the caller skip frames further up the stack
// than the code calling the Logger. Use it when the Logger sits behind your
// own logging helpers. Negative values count as zero.
func WithCallerSkip(skip int) Option {
	return func(c *config) { c.callerSkip = max(skip, 0) }
}
