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
	"log/slog"
	"maps"
	"runtime"

	durable "github.com/durable-go/durable-go/core"
	"github.com/sirupsen/logrus"
)

// Logger is a durable.LoggerInterface that writes through logrus. It also
// implements durable.LevelEnabler, durable.Binder and durable.AttrLogger,
// so core checks levels before building a call, binds enrichment once per
// context and passes slog.Attr fields without boxing them. A Logger is safe
// for concurrent use.
type Logger struct {
	native logrus.FieldLogger // what Logrus returns
	// entry holds the bound fields, time and context every line starts
	// from. It is nil when native is neither a *logrus.Logger nor a
	// *logrus.Entry; lines then go through native.WithFields.
	entry *logrus.Entry
	// logger decides levels, caller reporting and output; nil when it
	// cannot be reached from native.
	logger *logrus.Logger
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

// New returns a Logger that writes through l, usually a *logrus.Logger or a
// *logrus.Entry carrying fields that every line should have. A nil l, or an
// entry without a logger, means logrus.StandardLogger(). The logger's
// formatter, level and hooks are used as they are.
func New(l logrus.FieldLogger, opts ...Option) *Logger {
	lg := &Logger{native: l, cfg: newConfig(opts)}
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
	return lg
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

// Debug logs at logrus.DebugLevel.
func (l *Logger) Debug(msg string, args ...any) { l.log(logrus.DebugLevel, msg, nil, args) }

// Info logs at logrus.InfoLevel.
func (l *Logger) Info(msg string, args ...any) { l.log(logrus.InfoLevel, msg, nil, args) }

// Warning logs at logrus.WarnLevel.
func (l *Logger) Warning(msg string, args ...any) { l.log(logrus.WarnLevel, msg, nil, args) }

// Error logs at logrus.ErrorLevel.
func (l *Logger) Error(msg string, args ...any) { l.log(logrus.ErrorLevel, msg, nil, args) }

// Exception logs at logrus.ErrorLevel with errorType (the Go type of err),
// errorMessage and, when err (or an error it wraps) has a
// StackTrace() []string method, stackTrace, ahead of args. A nil err logs
// no error fields.
func (l *Logger) Exception(msg string, err error, args ...any) {
	l.log(logrus.ErrorLevel, msg, err, args)
}

// Enabled reports whether the logrus logger emits lines at level. It
// reports true when the logger cannot be reached (a FieldLogger of an
// unknown type without one).
func (l *Logger) Enabled(level durable.Level) bool {
	return l.enabled(toLogrus(level))
}

// With returns a Logger that adds args to every line, bound once with
// logrus's WithFields. Args follow the same rules as the logging methods;
// slog.LogValuer values are resolved now, not per line.
func (l *Logger) With(args ...any) durable.LoggerInterface {
	fields := make(logrus.Fields, len(args))
	addArgs(fields, args)
	if len(fields) == 0 {
		return l
	}
	var e *logrus.Entry
	if l.entry != nil {
		e = l.entry.WithFields(fields)
	} else {
		e = entryWithLogger(l.native.WithFields(fields))
	}
	return &Logger{native: e, entry: e, logger: e.Logger, cfg: l.cfg}
}

// AddCallerSkip returns a Logger that reports the caller skip frames
// further up (durable.CallerSkipper). Core calls it with its own frame
// count, so that lines logged through a durable context report the user's
// code as their caller.
func (l *Logger) AddCallerSkip(skip int) durable.LoggerInterface {
	cp := *l
	cp.cfg.callerSkip += max(skip, 0)
	return &cp
}

// LogAttrs logs attrs at level (slog levels map to the nearest logrus level
// at or below them: Debug, Info, Warn, Error). Nothing is built when the
// level is disabled.
func (l *Logger) LogAttrs(level durable.Level, msg string, attrs ...slog.Attr) {
	l.logAttrs(toLogrus(level), msg, attrs)
}

// logAttrs is LogAttrs's path, the same number of frames deep as log's.
func (l *Logger) logAttrs(level logrus.Level, msg string, attrs []slog.Attr) {
	if !l.enabled(level) {
		return
	}
	data, class := l.newData(len(attrs))
	for _, a := range attrs {
		addAttr(data, a)
	}
	l.emit(level, msg, data)
	putFields(data, class)
}

// log is the common path of the five LoggerInterface methods. It checks the
// level before building anything, so a disabled line allocates nothing.
func (l *Logger) log(level logrus.Level, msg string, err error, args []any) {
	if !l.enabled(level) {
		return
	}
	n := countArgs(args)
	if err != nil {
		n += errorFieldCount
	}
	data, class := l.newData(n)
	addError(data, err)
	addArgs(data, args)
	l.emit(level, msg, data)
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
func (l *Logger) emit(level logrus.Level, msg string, data logrus.Fields) {
	if l.entry == nil {
		entryWithLogger(l.native.WithFields(data)).Log(level, msg)
		return
	}
	e := &logrus.Entry{
		Logger:  l.logger,
		Data:    data,
		Time:    l.entry.Time,
		Caller:  l.entry.Caller,
		Context: l.entry.Context,
	}
	// logrus reports the first caller outside its own package, which would
	// be this file; name the user's code instead. ReportCaller is read
	// without logrus's (unexported) mutex: it is set while configuring the
	// logger, not while logging.
	if e.Caller == nil && l.logger.ReportCaller {
		e.Caller = callerFrame(l.cfg.callerSkip)
	}
	e.Log(level, msg)
}

// callerFrame returns the frame of the code that called a logging method,
// skip frames further up. It must be called directly from emit, itself
// called directly from log or logAttrs.
func callerFrame(skip int) *runtime.Frame {
	// Skip runtime.Callers, callerFrame, emit, log or logAttrs, the
	// exported method.
	const ownFrames = 5
	var pcs [1]uintptr
	if runtime.Callers(ownFrames+skip, pcs[:]) == 0 {
		return nil
	}
	f, _ := runtime.CallersFrames(pcs[:]).Next()
	return &f
}

// toLogrus maps a slog level to the logrus level at or below it. Levels
// above error stay at error: logrus's fatal and panic levels would exit or
// panic through the Fatal and Panic methods, and the contract has no such
// levels.
func toLogrus(level durable.Level) logrus.Level {
	switch {
	case level >= slog.LevelError:
		return logrus.ErrorLevel
	case level >= slog.LevelWarn:
		return logrus.WarnLevel
	case level >= slog.LevelInfo:
		return logrus.InfoLevel
	case level >= slog.LevelDebug:
		return logrus.DebugLevel
	default:
		return logrus.TraceLevel
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

// WithCallerSkip makes a logger with ReportCaller report the caller skip
// frames further up the stack than the code calling the Logger. Use it when
// the Logger sits behind your own logging helpers. Negative values count
// as zero.
func WithCallerSkip(skip int) Option {
	return func(c *config) { c.callerSkip = max(skip, 0) }
}
