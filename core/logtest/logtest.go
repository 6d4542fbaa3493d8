// Package logtest checks a durable.LoggerInterface implementation against
// the logger contract, the way testing/slogtest checks a slog.Handler.
//
// Every adapter (zap, zerolog, logrus, slog, or your own) runs the same
// table of cases from its tests:
//
//	func TestContract(t *testing.T) {
//		logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
//			return myadapter.New(myLambdaShapedLogger(w, debugLevel))
//		})
//	}
//
// The factory returns a fresh logger that writes Lambda-shaped JSON, one
// object per line, to w, at debug level: keys "timestamp" (RFC 3339 in UTC
// with milliseconds, as logsink.AppendLambdaTime writes it),
// "level" (DEBUG, INFO, WARN or ERROR) and "message", then the fields. Each
// case is a named subtest, so a failure names the behaviour that broke.
//
// The cases cover the five levels, each kind of argument (key/value pairs
// of common types, slog.Attr, durable.Extra, slog.Group -> nested object,
// slog.LogValuer resolved, error values -> their message, a dangling key
// -> "!BADKEY", and fields named "time" and "msg", which must not replace
// the line's timestamp or message), key override order, Exception's fields, the optional
// extensions (logsink.Binder, logsink.AttrLogger, logsink.LevelEnabler)
// when the logger implements them, concurrent use from 8 goroutines (run
// with -race), and that every line is one JSON object. Duplicate keys in
// lines logged on the logger directly are read the way JSON readers (and
// CloudWatch) read them: the last one wins.
//
// The SlogView cases run testing/slogtest against the context logger's
// slog view over the logger (see runSlogtest for the one rule waived).
//
// The Durable cases log through a durable handler's context logger, core
// and adapter together: there every line must hold each key once, a key
// the call passes replacing the enrichment field of the same name, and
// the shape rules hold (level names, millisecond timestamps, errorType
// naming the most specific error through fmt's wrappers). The Plain and
// Source options add the cases of plain five-method loggers and of caller
// reporting.
//
// Exception must add errorType = logsink.ErrorType(err) (the most
// specific error's Go type) and errorMessage = the error's message; with
// a nil error it logs at ERROR without them. How durations and times are encoded is
// left to the adapter's configuration: any number or string, and for
// times the right instant when written as RFC 3339.
package logtest

import (
	"io"
	"log/slog"
	"testing"

	durable "github.com/durable-go/durable-go/core"
)

// Option adds groups of cases to Run.
type Option func(*options)

type options struct {
	plain     func(w io.Writer) durable.LoggerInterface
	sourceKey string
	source    func(w io.Writer) durable.LoggerInterface
}

// Plain adds the cases of what core hands a plain LoggerInterface (one
// with the five methods and none of the optional extensions): flat
// string keys and values, Extra and slog.Attr expanded, groups as nested
// objects, Exception's error fields among the args, and args the logger
// may keep after the call. newLogger returns such a logger over the same
// native logger as Run's, for example a five-method wrapper over zap's
// SugaredLogger, writing Lambda-shaped JSON to w at debug level.
func Plain(newLogger func(w io.Writer) durable.LoggerInterface) Option {
	return func(o *options) { o.plain = newLogger }
}

// Source adds the caller cases: every method of the context logger (the
// five, the f variants, LogAttrs, With, WithGroup and the slog view), in a
// context and in a step, must name the user's file and line under key,
// as a "file:line" string or slog's source object. newLogger returns a
// logger like Run's that reports callers.
func Source(key string, newLogger func(w io.Writer) durable.LoggerInterface) Option {
	return func(o *options) { o.sourceKey, o.source = key, newLogger }
}

// Run checks an adapter against the logger contract. newLogger returns a
// fresh logger that writes Lambda-shaped JSON lines (keys timestamp, level,
// message; level names DEBUG/INFO/WARN/ERROR) to w at debug level.
//
// Run calls newLogger once per subtest and may call the logger from several
// goroutines at once; w is safe for concurrent use.
func Run(t *testing.T, newLogger func(w io.Writer) durable.LoggerInterface, opts ...Option) {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	run(t, newLogger, append(cases(), durableCases()...))
	runSlogtest(t, "SlogView/slogtest", newLogger)
	if o.plain != nil {
		run(t, o.plain, plainCases())
		runSlogtest(t, "Plain/SlogView/slogtest", o.plain)
	}
	if o.source != nil {
		run(t, o.source, sourceCases(o.sourceKey))
	}
}

func run(t *testing.T, newLogger func(w io.Writer) durable.LoggerInterface, cases []testCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Helper()
			var w syncBuffer
			l := newLogger(&w)
			if l == nil {
				t.Fatal("newLogger returned a nil LoggerInterface")
			}
			if ok, missing := c.log(t, l); !ok {
				// Optional extensions are optional: core falls back
				// to the five methods when they are missing.
				t.Logf("logger does not implement %s; nothing to check", missing)
				return
			}
			c.check(newOutput(t, w.String()))
		})
	}
}

// PlainSlog returns a plain LoggerInterface over l, with the five methods
// and none of the optional extensions, as a user would write one over
// log/slog: a factory for Plain. Warning logs at slog.LevelWarn;
// Exception logs at slog.LevelError with the args alone, core passing the
// error's fields among them.
func PlainSlog(l *slog.Logger) durable.LoggerInterface { return plainSlog{l} }

type plainSlog struct{ l *slog.Logger }

func (p plainSlog) Debug(msg string, args ...any)   { p.l.Debug(msg, args...) }
func (p plainSlog) Info(msg string, args ...any)    { p.l.Info(msg, args...) }
func (p plainSlog) Warning(msg string, args ...any) { p.l.Warn(msg, args...) }
func (p plainSlog) Error(msg string, args ...any)   { p.l.Error(msg, args...) }
func (p plainSlog) Exception(msg string, _ error, args ...any) {
	p.l.Error(msg, args...)
}
