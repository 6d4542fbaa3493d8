package slogadapter

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"

	durable "github.com/durable-go/durable-go/core"
)

// Error field keys of Exception, shared with the other durable loggers.
const (
	keyErrorType    = "errorType"
	keyErrorMessage = "errorMessage"
	keyStackTrace   = "stackTrace"
)

// stackTracer is an error that carries its own stack trace.
type stackTracer interface {
	StackTrace() []string
}

// addArgs adds LoggerInterface args to r. Key/value pairs, slog.Attr values
// and stray values follow slog's rules (Record.Add does the work, "!BADKEY"
// included); a durable.Extra in key position becomes one attribute per
// entry, in sorted key order.
func addArgs(r *slog.Record, args []any) {
	for len(args) > 0 {
		i := nextExtra(args)
		r.Add(args[:i]...)
		if i == len(args) {
			return
		}
		addExtra(r, args[i].(durable.Extra))
		args = args[i+1:]
	}
}

// nextExtra returns the index of the first durable.Extra in key position,
// or len(args). It steps over pairs exactly as slog does, so an Extra used
// as a pair's value stays a value.
func nextExtra(args []any) int {
	for i := 0; i < len(args); i++ {
		switch args[i].(type) {
		case durable.Extra:
			return i
		case string:
			i++ // skip the value
		}
	}
	return len(args)
}

// addExtra adds e's entries to r in sorted key order. Small maps, the usual
// case, are sorted and converted in stack buffers.
func addExtra(r *slog.Record, e durable.Extra) {
	var keyBuf [8]string
	keys := keyBuf[:0]
	for k := range e {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var attrBuf [8]slog.Attr
	attrs := attrBuf[:0]
	for _, k := range keys {
		attrs = append(attrs, slog.Any(k, e[k]))
	}
	r.AddAttrs(attrs...)
}

// argsToAttrs converts args to attributes by the rules of addArgs.
func argsToAttrs(args []any) []slog.Attr {
	if len(args) == 0 {
		return nil
	}
	var r slog.Record
	addArgs(&r, args)
	attrs := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	return attrs
}

// addError adds Exception's error fields for err to r.
func addError(r *slog.Record, err error) {
	r.AddAttrs(
		slog.String(keyErrorType, fmt.Sprintf("%T", err)),
		// fmt, unlike err.Error(), survives a nil pointer inside err.
		slog.String(keyErrorMessage, fmt.Sprint(err)),
	)
	var st stackTracer
	if errors.As(err, &st) {
		r.AddAttrs(slog.Any(keyStackTrace, st.StackTrace()))
	}
}
