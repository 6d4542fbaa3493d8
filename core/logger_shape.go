package durable

import (
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"
)

// This file holds the one definition of each piece of a line's shape that
// every logger shares: the error fields of Exception, Lambda's level names
// and Lambda's timestamp. The adapters and the default logger use these,
// so the four adapters and the default logger print the same shape.

// Keys of the error fields Exception adds.
const (
	keyErrorType    = "errorType"
	keyErrorMessage = "errorMessage"
	keyStackTrace   = "stackTrace"
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
// for a failed operation names errors differently; see ErrorObjectOf.)
func ErrorType(err error) string {
	if err == nil {
		return ""
	}
	if leaf := userError(err, 0); leaf != nil {
		return reflect.TypeOf(leaf).String()
	}
	return reflect.TypeOf(firstLeaf(err, 0)).String()
}

// maxErrorDepth bounds the walk through wrappers, against cycles.
const maxErrorDepth = 32

// userError returns the first error in err's tree, depth first through
// the standard library's wrappers, whose type is not the standard
// library's; nil when there is none.
func userError(err error, depth int) error {
	if err == nil || depth > maxErrorDepth {
		return nil
	}
	if !stdlibType(reflect.TypeOf(err)) {
		return err
	}
	if !stdlibWrapper(err) {
		return nil
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return userError(u.Unwrap(), depth+1)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if found := userError(e, depth+1); found != nil {
				return found
			}
		}
	}
	return nil
}

// firstLeaf returns the first error under the standard library's wrappers
// in err's tree, or err when err is not one.
func firstLeaf(err error, depth int) error {
	if depth > maxErrorDepth || !stdlibWrapper(err) {
		return err
	}
	var next error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		next = u.Unwrap()
	case interface{ Unwrap() []error }:
		if es := u.Unwrap(); len(es) > 0 {
			next = es[0]
		}
	}
	if next == nil {
		return err
	}
	return firstLeaf(next, depth+1)
}

// stdlibWrapper reports whether err is one of the wrappers of packages fmt
// and errors: they add context to the message but say nothing of the
// error's kind.
func stdlibWrapper(err error) bool {
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.PkgPath() {
	case "fmt", "errors":
		switch err.(type) {
		case interface{ Unwrap() error }, interface{ Unwrap() []error }:
			return true
		}
	}
	return false
}

// stdlibType reports whether t is declared in the standard library (its
// package path has no dot in its first element) or is unnamed.
func stdlibType(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	p := t.PkgPath()
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// ErrorMessage returns err.Error(), or fmt's rendering of err when Error
// panics (a nil pointer inside err, typically), so that logging an error
// never takes the function down; "" for nil.
func ErrorMessage(err error) (msg string) {
	if err == nil {
		return ""
	}
	defer func() {
		if recover() != nil {
			msg = fmt.Sprint(err)
		}
	}()
	return err.Error()
}

// ErrorStackTrace returns the stack trace of err or of the first error in
// its tree that implements StackTracer, or nil. A StackTrace method that
// panics counts as none.
func ErrorStackTrace(err error) []string {
	st := findStackTracer(err, 0)
	if st == nil {
		return nil
	}
	return safeStackTrace(st)
}

func safeStackTrace(st StackTracer) (trace []string) {
	defer func() {
		if recover() != nil {
			trace = nil
		}
	}()
	return st.StackTrace()
}

// findStackTracer walks err's tree as errors.As does, without the
// allocation errors.As costs for an interface target.
func findStackTracer(err error, depth int) StackTracer {
	for ; err != nil && depth <= maxErrorDepth; depth++ {
		if st, ok := err.(StackTracer); ok {
			return st
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				if st := findStackTracer(inner, depth+1); st != nil {
					return st
				}
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}

// ErrorAttrs returns Exception's error fields for err: errorType,
// errorMessage and, when err carries one, stackTrace; none for nil.
func ErrorAttrs(err error) []slog.Attr { return appendErrorAttrs(nil, err) }

func appendErrorAttrs(dst []slog.Attr, err error) []slog.Attr {
	if err == nil {
		return dst
	}
	dst = append(dst, slog.String(keyErrorType, ErrorType(err)), slog.String(keyErrorMessage, ErrorMessage(err)))
	if st := ErrorStackTrace(err); st != nil {
		dst = append(dst, slog.Any(keyStackTrace, st))
	}
	return dst
}

// LevelTrace and LevelFatal are the slog levels of Lambda's TRACE and
// FATAL, two steps beyond slog's outermost named levels (slog itself
// prints DEBUG-4 and ERROR+4 for the first steps, which Lambda reads as
// DEBUG and ERROR): adapters map their native trace, fatal and panic
// levels to them before naming them with LambdaLevelName.
const (
	LevelTrace Level = LevelDebug - 8
	LevelFatal Level = LevelError + 8
)

// LevelBand returns the band of l among the contract's levels, for
// adapters to index their native levels with: 0 below LevelDebug (trace,
// logrus's only), 1 debug, 2 info, 3 warning, 4 error and above. A level
// between two named ones takes the lower band.
func LevelBand(l Level) int {
	switch {
	case l < LevelDebug:
		return 0
	case l < LevelInfo:
		return 1
	case l < LevelWarning:
		return 2
	case l < LevelError:
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
func LambdaLevelName(l Level) string {
	switch {
	case l <= LevelTrace:
		return "TRACE"
	case l < LevelInfo:
		return "DEBUG"
	case l < LevelWarning:
		return "INFO"
	case l < LevelError:
		return "WARN"
	case l < LevelFatal:
		return "ERROR"
	}
	return "FATAL"
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
