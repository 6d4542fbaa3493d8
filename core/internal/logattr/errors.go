package logattr

import (
	"fmt"
	"log/slog"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
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
// for a failed operation names errors differently; see protocol.ErrorObjectOf.)
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

// stdlibType reports whether t is declared in the standard library or is
// unnamed.
func stdlibType(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return stdlibPath(t.PkgPath(), programModules())
}

// stdlibPath reports whether the package path p is the standard library's:
// its first element has no dot, and it is neither package main nor a
// package of modules, the modules the program is built from (a local
// module may be named without a dot: "hello-world", as sam init names it).
func stdlibPath(p string, modules []string) bool {
	first, _, _ := strings.Cut(p, "/")
	if strings.Contains(first, ".") || p == "main" {
		return false
	}
	for _, m := range modules {
		if p == m || strings.HasPrefix(p, m) && p[len(m)] == '/' {
			return false
		}
	}
	return true
}

// programModules returns the paths without a dot in their first element
// of the modules the program is built from (stdlibPath needs no others),
// from its build information.
var programModules = sync.OnceValue(func() []string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	var paths []string
	for _, m := range append([]*debug.Module{&info.Main}, info.Deps...) {
		if first, _, _ := strings.Cut(m.Path, "/"); m.Path != "" && !strings.Contains(first, ".") {
			paths = append(paths, m.Path)
		}
	}
	return paths
})

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
// its tree that implements StackTracer, or nil. A StackTrace or Unwrap
// method that panics (a typed nil error's, typically) counts as none.
func ErrorStackTrace(err error) (trace []string) {
	if err == nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			trace = nil
		}
	}()
	if st := findStackTracer(err, 0); st != nil {
		return st.StackTrace()
	}
	return nil
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
func ErrorAttrs(err error) []slog.Attr { return AppendErrorAttrs(nil, err) }

func AppendErrorAttrs(dst []slog.Attr, err error) []slog.Attr {
	if err == nil {
		return dst
	}
	dst = append(dst, slog.String(keyErrorType, ErrorType(err)), slog.String(keyErrorMessage, ErrorMessage(err)))
	if st := ErrorStackTrace(err); st != nil {
		dst = append(dst, slog.Any(keyStackTrace, st))
	}
	return dst
}
