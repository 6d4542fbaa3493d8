// Package logrusadapter lets a durable function log through a logrus
// logger.
//
// Wrap a *logrus.Logger or *logrus.Entry with New and hand the result to
// durable.WithLogger or Context.SetLogger. Lines keep the logger's own
// configuration (formatter, level names, hooks, output); LambdaFormatter
// and NewLambdaLogger offer the JSON shape Lambda's Advanced Logging
// Controls understand.
//
// Replay deduplication happens in core, before a line reaches the adapter:
// a *Logger used directly, not through Context.Logger, prints on every
// replay.
package logrusadapter

import (
	"context"
	"log/slog"
	"maps"
	"runtime"

	"github.com/durable-go/durable-go/core/logsink"
	"github.com/sirupsen/logrus"
)

// Logger is a durable.LoggerInterface that writes through logrus. It also
// implements logsink.Emitter, logsink.LevelEnabler, logsink.Binder and
// logsink.AttrLogger, so core checks levels before building a call, binds
// enrichment once per context and hands over each line's fields
// normalized. A Logger is safe for concurrent use.
type Logger struct {
	// EmitterMethods are Debug, Info, Warning, Error, Exception and
	// LogAttrs; levels map to the nearest logrus level at or below them.
	logsink.EmitterMethods
	native logrus.FieldLogger // what Logrus returns
	// entry holds the bound fields, time and context every line starts
	// from. It is nil when native is neither a *logrus.Logger nor a
	// *logrus.Entry; lines then go through native.WithFields.
	entry *logrus.Entry
	// logger decides levels, caller reporting and output; nil when it
	// cannot be reached from native.
	logger *logrus.Logger
}

// Logger offers every optional extension core discovers.
var _ logsink.Adapter = (*Logger)(nil)

// New returns a Logger that writes through l, usually a *logrus.Logger or a
// *logrus.Entry carrying fields that every line should have. A nil l, or an
// entry without a logger, means logrus.StandardLogger(). The logger's
// formatter, level and hooks are used as they are.
func New(l logrus.FieldLogger) *Logger {
	lg := &Logger{native: l}
	switch n := l.(type) {
	case nil:
		lg.native = logrus.StandardLogger()
		lg.entry, lg.logger = logrus.NewEntry(logrus.StandardLogger()), logrus.StandardLogger()
	case *logrus.Logger:
		if n == nil {
			n = logrus.StandardLogger()
			lg.native = n
		}
		lg.entry, lg.logger = logrus.NewEntry(n), n
	case *logrus.Entry:
		lg.entry = entryWithLogger(n)
		lg.native, lg.logger = lg.entry, lg.entry.Logger
	default:
		// A FieldLogger of another type still hands out entries; its
		// logger is used for level checks only.
		if e := l.WithFields(nil); e != nil {
			lg.logger = e.Logger
		}
	}
	return withMethods(lg)
}

// withMethods sets l's logging methods.
func withMethods(l *Logger) *Logger {
	l.EmitterMethods = logsink.NewEmitterMethods(l)
	return l
}

// entryWithLogger returns e, or a copy of it that logs to the standard
// logger when e has none: logrus panics on an entry without a logger.
func entryWithLogger(e *logrus.Entry) *logrus.Entry {
	if e == nil {
		return logrus.NewEntry(logrus.StandardLogger())
	}
	if e.Logger != nil {
		return e
	}
	c := *e
	c.Logger = logrus.StandardLogger()
	return &c
}

// Logrus returns the logger underneath: the one given to New, or the
// *logrus.Entry carrying the fields bound with With. Lines logged on it
// directly bypass replay deduplication.
func (l *Logger) Logrus() logrus.FieldLogger { return l.native }

// Enabled reports whether the logrus logger emits lines at level. It
// reports true when the logger cannot be reached (a FieldLogger of an
// unknown type without one).
func (l *Logger) Enabled(level slog.Level) bool {
	return l.enabled(toLogrus(level))
}

// ReportsCaller reports whether the logrus logger reports callers
// (ReportCaller), for which core captures the user's call site
// (logsink.CallerReporter). ReportCaller is read without logrus's
// (unexported) mutex: it is set while configuring the logger, not while
// logging.
func (l *Logger) ReportsCaller() bool { return l.logger != nil && l.logger.ReportCaller }

// With returns a Logger that adds args to every line, bound once with
// logrus's WithFields. Args follow the same rules as the logging methods;
// slog.LogValuer values are resolved now, not per line.
func (l *Logger) With(args ...any) logsink.Logger {
	attrs := logsink.ArgsToAttrs(args...)
	fields := make(logrus.Fields, len(attrs))
	for _, a := range attrs {
		addAttr(fields, a)
	}
	if len(fields) == 0 {
		return l
	}
	var e *logrus.Entry
	if l.entry != nil {
		e = l.entry.WithFields(fields)
	} else {
		e = entryWithLogger(l.native.WithFields(fields))
	}
	return withMethods(&Logger{native: e, entry: e, logger: e.Logger})
}

// Emit writes r (logsink.Emitter). ctx becomes the entry's Context, for
// hooks that read it.
func (l *Logger) Emit(ctx context.Context, r logsink.Record) {
	level := toLogrus(r.Level)
	if !l.enabled(level) {
		return
	}
	data, class := l.newData(r.NumAttrs())
	for a := range r.Attrs {
		addAttr(data, a)
	}
	l.emit(ctx, level, &r, data)
	putFields(data, class)
}

func (l *Logger) enabled(level logrus.Level) bool {
	return l.logger == nil || l.logger.IsLevelEnabled(level)
}

// newData returns a map holding the bound fields with room for n more, and
// its pool class for putFields. A FieldLogger of an unknown type may keep
// the map, so its maps are not pooled.
func (l *Logger) newData(n int) (logrus.Fields, int) {
	if l.entry == nil {
		return make(logrus.Fields, n), -1
	}
	data, class := getFields(len(l.entry.Data) + n)
	maps.Copy(data, l.entry.Data)
	return data, class
}

// emit hands one line to logrus. It builds the entry itself rather than
// calling WithFields, which would copy data once more.
func (l *Logger) emit(ctx context.Context, level logrus.Level, r *logsink.Record, data logrus.Fields) {
	if l.entry == nil {
		e := entryWithLogger(l.native.WithFields(data))
		if ctx != context.Background() {
			e = e.WithContext(ctx)
		}
		e.Log(level, r.Message)
		return
	}
	e := &logrus.Entry{
		Logger:  l.logger,
		Data:    data,
		Time:    l.entry.Time,
		Caller:  l.entry.Caller,
		Context: l.entry.Context,
	}
	if ctx != context.Background() {
		e.Context = ctx
	}
	// logrus reports the first caller outside its own package, which would
	// be this file; name the user's call core captured instead.
	if e.Caller == nil && r.PC != 0 {
		f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
		e.Caller = &f
	}
	e.Log(level, r.Message)
}

// toLogrus maps a slog level to the logrus level at or below it. Levels
// above error stay at error: logrus's fatal and panic levels would exit or
// panic through the Fatal and Panic methods, and the contract has no such
// levels.
func toLogrus(level slog.Level) logrus.Level { return logrusLevels[logsink.LevelBand(level)] }

// logrusLevels are logrus's levels by logsink.LevelBand.
var logrusLevels = [...]logrus.Level{logrus.TraceLevel, logrus.DebugLevel, logrus.InfoLevel, logrus.WarnLevel, logrus.ErrorLevel}
