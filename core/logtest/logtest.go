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
// object per line, to w, at debug level: keys "timestamp" (RFC 3339),
// "level" (DEBUG, INFO, WARN or ERROR) and "message", then the fields. Each
// case is a named subtest, so a failure names the behaviour that broke.
//
// The cases cover the five levels, each kind of argument (key/value pairs
// of common types, slog.Attr, durable.Extra, slog.Group -> nested object,
// slog.LogValuer resolved, error values -> their message, a dangling key
// -> "!BADKEY", and a field named "time", which must not replace the
// line's timestamp), key override order, Exception's fields, the optional
// extensions (durable.Binder, durable.AttrLogger, durable.LevelEnabler)
// when the logger implements them, concurrent use from 8 goroutines (run
// with -race), and that every line is one JSON object. Duplicate keys are
// read the way JSON readers (and CloudWatch) read them: the last one wins.
//
// Exception must add errorType = durable.ErrorType(err) (the Go type as
// %T prints it) and errorMessage = the error's message; with a nil error
// it logs at ERROR without them. How durations and times are encoded is
// left to the adapter's configuration: any number or string, and for
// times the right instant when written as RFC 3339.
package logtest

import (
	"io"
	"testing"

	durable "github.com/durable-go/durable-go/core"
)

// Run checks an adapter against the logger contract. newLogger returns a
// fresh logger that writes Lambda-shaped JSON lines (keys timestamp, level,
// message; level names DEBUG/INFO/WARN/ERROR) to w at debug level.
//
// Run calls newLogger once per subtest and may call the logger from several
// goroutines at once; w is safe for concurrent use.
func Run(t *testing.T, newLogger func(w io.Writer) durable.LoggerInterface) {
	t.Helper()
	for _, c := range cases() {
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
