package logsink

import (
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/internal/logattr"
)

// StackTracer is implemented by errors that carry their own stack trace.
// Exception adds it to the line as stackTrace, when err or an error it
// wraps implements it.
type StackTracer interface {
	StackTrace() []string
}

// ErrorType returns the errorType Exception logs for err: the Go type of
// the most specific error, as fmt's %T prints it. It looks through the
// standard library's wrappers (fmt.Errorf with %w, errors.Join) to the
// first error of another type, preferring one of the program's own types
// to one of the standard library's, so fmt.Errorf("charge: %w",
// &DeclinedError{}) gives "*payments.DeclinedError", not
// "*fmt.wrapError". It returns "" for nil. (The ErrorObject checkpointed
// for a failed operation names errors differently; see protocol.ErrorObjectOf.)
func ErrorType(err error) string { return logattr.ErrorType(err) }

// ErrorMessage returns err.Error(), or fmt's rendering of err when Error
// panics (a nil pointer inside err, typically), so that logging an error
// never takes the function down; "" for nil.
func ErrorMessage(err error) string { return logattr.ErrorMessage(err) }

// ErrorStackTrace returns the stack trace of err or of the first error in
// its tree that implements StackTracer, or nil. A StackTrace or Unwrap
// method that panics (a typed nil error's, typically) counts as none.
func ErrorStackTrace(err error) []string { return logattr.ErrorStackTrace(err) }

// ErrorAttrs returns Exception's error fields for err: errorType,
// errorMessage and, when err carries one, stackTrace; none for nil.
func ErrorAttrs(err error) []slog.Attr { return logattr.ErrorAttrs(err) }

// ArgsToAttrs normalizes Logger args into attributes by the rules
// core applies to every call (see Record). Adapters use it in With
// and wherever they receive args directly.
func ArgsToAttrs(args ...any) []slog.Attr { return logattr.ArgsToAttrs(args...) }

// AttrValue returns a slog value as a plain Go value: a slog.LogValuer is
// resolved, a group becomes a map[string]any (nested groups nested maps,
// members of a group with an empty key inlined), anything else is what
// Value.Any returns. It is how plain loggers, and adapters whose native
// fields are untyped (logrus), receive attributes.
func AttrValue(v slog.Value) any { return logattr.AttrValue(v) }

// LevelTrace and LevelFatal are the slog levels of Lambda's TRACE and
// FATAL, two steps beyond slog's outermost named levels (slog itself
// prints DEBUG-4 and ERROR+4 for the first steps, which Lambda reads as
// DEBUG and ERROR): adapters map their native trace, fatal and panic
// levels to them before naming them with LambdaLevelName.
const (
	LevelTrace slog.Level = slog.LevelDebug - 8
	LevelFatal slog.Level = slog.LevelError + 8
)

// LevelBand returns the band of l among the contract's levels, for
// adapters to index their native levels with: 0 below slog.LevelDebug (trace,
// logrus's only), 1 debug, 2 info, 3 warning, 4 error and above. A level
// between two named ones takes the lower band.
func LevelBand(l slog.Level) int {
	switch {
	case l < slog.LevelDebug:
		return 0
	case l < slog.LevelInfo:
		return 1
	case l < slog.LevelWarn:
		return 2
	case l < slog.LevelError:
		return 3
	}
	return 4
}

// LambdaLevelName names l as Lambda's JSON log format and Advanced Logging
// Controls do: TRACE (at LevelTrace and below), DEBUG, INFO, WARN, ERROR
// or FATAL (at LevelFatal and above), a level between two named ones
// taking the lower name (slog would print "INFO+2", which Lambda reads as
// INFO whatever it is). The levels core logs at are named DEBUG, INFO,
// WARN and ERROR.
func LambdaLevelName(l slog.Level) string {
	switch {
	case l <= LevelTrace:
		return "TRACE"
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARN"
	case l < LevelFatal:
		return "ERROR"
	}
	return "FATAL"
}

// LambdaFieldKey is the key under which a Lambda-shaped line writes a
// top-level field of the caller's named key: "fields."+key for the line's
// own keys (timestamp, level, message), so that the line holds each once
// (JSON readers keep the last of two "level" keys, and Lambda's level
// filter would read the field's), key itself for any other. The default
// logger and every adapter's Lambda helper name fields so.
func LambdaFieldKey(key string) string {
	switch key {
	case "timestamp", "level", "message":
		return "fields." + key
	}
	return key
}

// LambdaTimeLayout is the layout of Lambda's timestamps, RFC 3339 in UTC
// with milliseconds, for times already in UTC: 2026-01-02T15:04:05.000Z.
const LambdaTimeLayout = "2006-01-02T15:04:05.000Z"

// AppendLambdaTime appends t in UTC in LambdaTimeLayout, as Lambda's own
// JSON lines write their timestamp, to b. It is what
// t.UTC().AppendFormat(b, LambdaTimeLayout) writes, done by hand for years
// 0 to 9999: time's layout interpreter would cost more than the rest of a
// short line.
func AppendLambdaTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, LambdaTimeLayout)
	}
	hour, minute, sec := t.Clock()
	millis := t.Nanosecond() / int(time.Millisecond)
	b = append2(append2(b, year/100), year%100)
	b = append2(append(b, '-'), int(month))
	b = append2(append(b, '-'), day)
	b = append2(append(b, 'T'), hour)
	b = append2(append(b, ':'), minute)
	b = append2(append(b, ':'), sec)
	b = append2(append(b, '.', byte('0'+millis/100)), millis%100)
	return append(b, 'Z')
}

// append2 appends n, from 0 to 99, as two digits.
func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
