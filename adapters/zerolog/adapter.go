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
	"context"
	"log/slog"
	"reflect"
	"runtime"

	durable "github.com/durable-go/durable-go/core"
	"github.com/rs/zerolog"
)

// Logger is a durable.LoggerInterface that writes through a zerolog.Logger.
// It also implements durable.Emitter, durable.LevelEnabler, durable.Binder
// and durable.AttrLogger, so core checks levels, binds enrichment once per
// context and hands over each line's fields normalized, which the Logger
// writes with zerolog's typed methods. A Logger is safe for concurrent use
// when the zerolog.Logger's writer is.
type Logger struct {
	zl zerolog.Logger
	// caller is set when zl has zerolog's Caller() hook: the Logger then
	// points the hook at the user's call site, from the PC core captured.
	caller bool
	cfg    config
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

// New returns a Logger that writes through l, as it is configured: level,
// writer, hooks, sampling and fields bound with l.With() all apply.
func New(l zerolog.Logger, opts ...Option) *Logger {
	return &Logger{zl: l, caller: hasCallerHook(l), cfg: newConfig(opts)}
}

// hasCallerHook reports whether l was built with Context.Caller(), whose
// hook zerolog keeps unexported: the hook's type is read by reflection,
// once per Logger.
func hasCallerHook(l zerolog.Logger) bool {
	hooks := reflect.ValueOf(l).FieldByName("hooks")
	if !hooks.IsValid() || hooks.Kind() != reflect.Slice {
		return false
	}
	for i := range hooks.Len() {
		if h := hooks.Index(i); h.Kind() == reflect.Interface && !h.IsNil() &&
			h.Elem().Type().String() == "zerolog.callerHook" {
			return true
		}
	}
	return false
}

// Zerolog returns the zerolog.Logger underneath, including the fields bound
// with With. Lines logged on it directly bypass replay deduplication.
func (l *Logger) Zerolog() zerolog.Logger { return l.zl }

// Debug logs at zerolog.DebugLevel.
func (l *Logger) Debug(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelDebug, msg, nil, args)
}

// Info logs at zerolog.InfoLevel.
func (l *Logger) Info(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelInfo, msg, nil, args)
}

// Warning logs at zerolog.WarnLevel.
func (l *Logger) Warning(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelWarning, msg, nil, args)
}

// Error logs at zerolog.ErrorLevel.
func (l *Logger) Error(msg string, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelError, msg, nil, args)
}

// Exception logs at zerolog.ErrorLevel with errorType, errorMessage and,
// when available, stackTrace, ahead of args (see durable.ErrorAttrs). The
// stack trace comes from err (or an error it wraps) when it implements
// durable.StackTracer, otherwise from zerolog.ErrorStackMarshaler when it
// is set (for example to pkgerrors.MarshalStack). A nil err logs no error
// fields.
func (l *Logger) Exception(msg string, err error, args ...any) {
	durable.EmitArgs(context.Background(), l, durable.LevelError, msg, err, args)
}

// LogAttrs logs attrs at level as typed zerolog fields. Levels between the
// four named ones round down (slog.LevelInfo+2 logs at info).
func (l *Logger) LogAttrs(level durable.Level, msg string, attrs ...slog.Attr) {
	durable.EmitAttrs(context.Background(), l, level, msg, attrs)
}

// Enabled reports whether the zerolog.Logger emits lines at level, by its
// own level and zerolog's global level. Sampling is left to zerolog: a
// sampled-out line still counts as enabled.
func (l *Logger) Enabled(level durable.Level) bool {
	zl := zerologLevel(level)
	lowest := l.zl.GetLevel()
	return lowest != zerolog.Disabled && zl >= lowest && zl >= zerolog.GlobalLevel()
}

// ReportsCaller reports whether the zerolog.Logger writes callers
// (durable.CallerReporter).
func (l *Logger) ReportsCaller() bool { return l.caller }

// With returns a Logger that adds args to every line. The fields are
// encoded once, into a child zerolog.Logger's context (l.With()...Logger()),
// rather than on every call. Args follow the same rules as the logging
// methods. Core binds enrichment through With and leaves out of it a key
// a call overrides, so a line never holds a key twice.
func (l *Logger) With(args ...any) durable.LoggerInterface {
	attrs := durable.ArgsToAttrs(args...)
	if len(attrs) == 0 {
		return l
	}
	zl := l.zl.With().EmbedObject(attrsObject(attrs)).Logger()
	return &Logger{zl: zl, caller: l.caller, cfg: l.cfg}
}

// Emit writes r (durable.Emitter). ctx reaches zerolog hooks through
// Event.GetCtx.
func (l *Logger) Emit(ctx context.Context, r *durable.Record) {
	e := l.event(r.Level)
	if e == nil {
		return
	}
	if ctx != context.Background() {
		e = e.Ctx(ctx)
	}
	e = appendAttrs(e, r.Attrs)
	if r.Err != nil {
		e = appendErrorStack(e, r)
	}
	if l.caller && r.PC != 0 {
		e = e.CallerSkipFrame(framesTo(r.PC))
	}
	e.Msg(r.Message)
}

// framesTo returns how many frames the user's call at pc is above Emit:
// zerolog's caller hook, run by Emit's Msg, finds Emit's frame by itself
// and skips this many more, so it names the call site core captured.
//
//go:noinline
func framesTo(pc uintptr) int {
	var pcs [64]uintptr
	// Skip runtime.Callers, framesTo and Emit: pcs[0] is Emit's caller.
	n := runtime.Callers(3, pcs[:])
	for i, p := range pcs[:n] {
		if p == pc {
			return i + 1
		}
	}
	return 0
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
// same way. The zerolog adapter has none of its own yet: zerolog is
// configured through its own Logger, which the adapter leaves as it is.
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
