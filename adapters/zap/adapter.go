// Package zapadapter lets a durable function log through a go.uber.org/zap
// logger.
//
// Wrap a *zap.Logger with New and hand the result to durable.WithLogger or
// Context.SetLogger. Lines keep the logger's own configuration (encoder,
// keys, level, sampling, hooks); NewLambdaLogger and LambdaEncoderConfig
// offer an opt-in configuration that writes the JSON shape Lambda's
// Advanced Logging Controls understand, and the UniqueKeys option keeps
// one key per name on a logger of your own configuration.
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
	"context"
	"log/slog"
	"runtime"
	"strings"

	"github.com/durable-go/durable-go/core/logsink"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Logger is a durable.LoggerInterface that writes through a *zap.Logger.
// It also implements logsink.Emitter, logsink.LevelEnabler, logsink.Binder
// and logsink.AttrLogger, so core checks levels, binds enrichment once per
// context and hands over each line's fields normalized, which the Logger
// maps to typed zap fields. A Logger is safe for concurrent use.
type Logger struct {
	// EmitterMethods are Debug, Info, Warning, Error, Exception and
	// LogAttrs (levels between zap's round down); Exception's stackTrace,
	// when the error carries one, replaces the stack zap.AddStacktrace
	// would add.
	logsink.EmitterMethods
	native *zap.Logger // the logger given to New, plus fields bound by With
	z      *zap.Logger // native, without zap's own caller lookup
	// caller and stack say whether native adds a caller (zap.AddCaller)
	// and stacks (zap.AddStacktrace): the Logger then names the user's
	// call site from the PC core captured, rather than zap's frame count.
	caller, stack bool
}

// Logger offers every optional extension core discovers.
var _ logsink.Adapter = (*Logger)(nil)

// New returns a Logger that writes through l, keeping l's configuration as
// it is. A nil l means zap.L(), zap's global logger at the time of the call.
func New(l *zap.Logger) *Logger {
	if l == nil {
		l = zap.L()
	}
	return newLogger(l)
}

func newLogger(native *zap.Logger) *Logger {
	caller, stack := probe(native)
	return withMethods(&Logger{
		native: native,
		z:      native.WithOptions(zap.WithCaller(false)),
		caller: caller, stack: stack,
	})
}

// withMethods sets l's logging methods.
func withMethods(l *Logger) *Logger {
	l.EmitterMethods = logsink.NewEmitterMethods(l)
	return l
}

// probe finds out whether l adds callers and (at error level) stacks, by
// checking an entry against a core that accepts everything and writes
// nothing: zap has no accessor for its options.
func probe(l *zap.Logger) (caller, stack bool) {
	p := l.WithOptions(zap.WrapCore(func(zapcore.Core) zapcore.Core { return acceptAll{} }))
	ce := p.Check(zapcore.ErrorLevel, "")
	if ce == nil {
		return false, false
	}
	caller, stack = ce.Caller.Defined, ce.Stack != ""
	ce.Write()
	return caller, stack
}

// acceptAll is a zapcore.Core that accepts every entry and discards it.
type acceptAll struct{}

func (acceptAll) Enabled(zapcore.Level) bool          { return true }
func (c acceptAll) With([]zapcore.Field) zapcore.Core { return c }
func (c acceptAll) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, c)
}
func (acceptAll) Write(zapcore.Entry, []zapcore.Field) error { return nil }
func (acceptAll) Sync() error                                { return nil }

// Zap returns the *zap.Logger underneath: the one given to New, with the
// fields bound by With. Lines logged on it directly bypass replay
// deduplication.
func (l *Logger) Zap() *zap.Logger { return l.native }

// Enabled reports whether the zap logger writes lines at level. Levels
// between the four durable levels round down, as slog levels do.
func (l *Logger) Enabled(level slog.Level) bool {
	return l.z.Core().Enabled(zapLevel(level))
}

// ReportsCaller reports whether the zap logger adds callers or stacks, for
// which core captures the user's call site (logsink.CallerReporter).
func (l *Logger) ReportsCaller() bool { return l.caller || l.stack }

// With returns a *Logger (as a durable.LoggerInterface) that adds args to
// every line through zap's Logger.With, so they are encoded once rather
// than per call. Args follow the same rules as the logging methods;
// slog.LogValuer values among them are resolved now.
func (l *Logger) With(args ...any) logsink.Logger {
	fields := appendAttrs(nil, logsink.ArgsToAttrs(args...))
	if len(fields) == 0 {
		return l
	}
	return withMethods(&Logger{native: l.native.With(fields...), z: l.z.With(fields...), caller: l.caller, stack: l.stack})
}

// Emit writes r (logsink.Emitter). zap's Check comes first, so a level zap
// drops builds nothing.
func (l *Logger) Emit(_ context.Context, r logsink.Record) {
	ce := l.z.Check(zapLevel(r.Level), r.Message)
	if ce == nil {
		return
	}
	if r.PC != 0 {
		l.callSite(ce, r.PC)
	}
	fields := make([]zap.Field, 0, r.NumAttrs())
	for a := range r.Attrs {
		if r.Err != nil && a.Key == keyStackTrace {
			a = errorStackAttr(ce, r.Err, a)
		}
		fields = appendAttr(fields, a)
	}
	ce.Write(fields...)
}

// callSite names the user's call at pc as the entry's caller, and starts
// zap's stack there, dropping the frames of core and the adapter.
func (l *Logger) callSite(ce *zapcore.CheckedEntry, pc uintptr) {
	f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	if l.caller {
		ce.Caller = zapcore.EntryCaller{Defined: true, PC: pc, File: f.File, Line: f.Line, Function: f.Function}
	}
	if ce.Stack != "" && f.Function != "" {
		if i := strings.Index(ce.Stack, f.Function+"\n"); i >= 0 {
			ce.Stack = ce.Stack[i:]
		}
	}
}

// zapLevel maps a durable (slog) level to zap's, rounding down between
// the four durable levels.
func zapLevel(level slog.Level) zapcore.Level { return zapLevels[logsink.LevelBand(level)] }

// zapLevels are zap's levels by logsink.LevelBand.
var zapLevels = [...]zapcore.Level{zapcore.DebugLevel, zapcore.DebugLevel, zapcore.InfoLevel, zapcore.WarnLevel, zapcore.ErrorLevel}
