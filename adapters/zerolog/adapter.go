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

	"github.com/durable-go/durable-go/core/logsink"
	"github.com/rs/zerolog"
)

// Logger is a durable.LoggerInterface that writes through a zerolog.Logger.
// It also implements logsink.Emitter, logsink.LevelEnabler, logsink.Binder
// and logsink.AttrLogger, so core checks levels, binds enrichment once per
// context and hands over each line's fields normalized, which the Logger
// writes with zerolog's typed methods. A Logger is safe for concurrent use
// when the zerolog.Logger's writer is.
type Logger struct {
	// EmitterMethods are Debug, Info, Warning, Error, Exception and
	// LogAttrs (levels between zerolog's round down); Exception's
	// stackTrace comes from the error when it carries one, otherwise from
	// zerolog.ErrorStackMarshaler when it is set.
	logsink.EmitterMethods
	zl zerolog.Logger
	// caller is set when zl has zerolog's Caller() hook: the Logger then
	// points the hook at the user's call site, from the PC core captured.
	caller bool
}

// Logger offers every optional extension core discovers.
var _ logsink.Adapter = (*Logger)(nil)

// New returns a Logger that writes through l, as it is configured: level,
// writer, hooks, sampling and fields bound with l.With() all apply.
func New(l zerolog.Logger) *Logger {
	return withMethods(&Logger{zl: l, caller: hasCallerHook(l)})
}

// withMethods sets l's logging methods.
func withMethods(l *Logger) *Logger {
	l.EmitterMethods = logsink.NewEmitterMethods(l)
	return l
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

// Enabled reports whether the zerolog.Logger emits lines at level, by its
// own level and zerolog's global level. Sampling is left to zerolog: a
// sampled-out line still counts as enabled.
func (l *Logger) Enabled(level slog.Level) bool {
	zl := zerologLevel(level)
	lowest := l.zl.GetLevel()
	return lowest != zerolog.Disabled && zl >= lowest && zl >= zerolog.GlobalLevel()
}

// ReportsCaller reports whether the zerolog.Logger writes callers
// (logsink.CallerReporter).
func (l *Logger) ReportsCaller() bool { return l.caller }

// With returns a Logger that adds args to every line. The fields are
// encoded once, into a child zerolog.Logger's context (l.With()...Logger()),
// rather than on every call. Args follow the same rules as the logging
// methods. Core binds enrichment through With and leaves out of it a key
// a call overrides, so a line never holds a key twice.
func (l *Logger) With(args ...any) logsink.Logger {
	attrs := logsink.ArgsToAttrs(args...)
	if len(attrs) == 0 {
		return l
	}
	zl := l.zl.With().EmbedObject(attrsObject(attrs)).Logger()
	return withMethods(&Logger{zl: zl, caller: l.caller})
}

// Emit writes r (logsink.Emitter). ctx reaches zerolog hooks through
// Event.GetCtx.
func (l *Logger) Emit(ctx context.Context, r logsink.Record) {
	e := l.event(r.Level)
	if e == nil {
		return
	}
	if reflect.TypeOf(ctx) != backgroundType { // context.Background leaves zl's own context
		e = e.Ctx(ctx)
	}
	for a := range r.Attrs {
		e = appendAttr(e, &a)
	}
	if r.Err != nil {
		e = appendErrorStack(e, &r)
	}
	if l.caller && r.PC != 0 {
		e = e.CallerSkipFrame(framesTo(r.PC))
	}
	e.Msg(r.Message)
}

// backgroundType is the type of context.Background(), the only value of
// its type: comparing types is a pointer comparison, where comparing the
// contexts calls into the runtime on every line.
var backgroundType = reflect.TypeOf(context.Background())

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
func (l *Logger) event(level slog.Level) *zerolog.Event {
	switch logsink.LevelBand(level) {
	case 0, 1:
		return l.zl.Debug()
	case 2:
		return l.zl.Info()
	case 3:
		return l.zl.Warn()
	}
	return l.zl.Error()
}

// zerologLevel maps a durable (slog) level to zerolog's, rounding levels in
// between down.
func zerologLevel(level slog.Level) zerolog.Level { return zerologLevels[logsink.LevelBand(level)] }

// zerologLevels are zerolog's levels by logsink.LevelBand.
var zerologLevels = [...]zerolog.Level{zerolog.DebugLevel, zerolog.DebugLevel, zerolog.InfoLevel, zerolog.WarnLevel, zerolog.ErrorLevel}
