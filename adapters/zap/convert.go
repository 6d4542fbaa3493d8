package zapadapter

import (
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Error field keys of Exception, shared with the other durable loggers.
const (
	keyErrorType    = "errorType"
	keyErrorMessage = "errorMessage"
	keyStackTrace   = "stackTrace"
)

// badKey is the key log/slog gives a value that has no key.
const badKey = "!BADKEY"

// stackTracer is an error that carries its own stack trace.
type stackTracer interface {
	StackTrace() []string
}

// fieldsFor returns how many fields args (and Exception's err) make, so the
// field slice is allocated once. Groups with an empty key, which are
// inlined, may still grow it.
func fieldsFor(args []any, err error) int {
	n := 0
	if err != nil {
		n += 3
	}
	for i := 0; i < len(args); i++ {
		switch x := args[i].(type) {
		case string:
			i++ // skip the value
		case durable.Extra:
			n += len(x) - 1
		}
		n++
	}
	return n
}

// appendArgs appends the fields for LoggerInterface args to fields,
// following log/slog's rules: a string is a key followed by its value, a
// slog.Attr stands alone, and anything else, or a final key without a
// value, is logged under "!BADKEY". A durable.Extra in key position adds
// one field per entry in sorted key order; a zap.Field is passed through.
func appendArgs(fields []zap.Field, args []any) []zap.Field {
	for len(args) > 0 {
		switch x := args[0].(type) {
		case string:
			if len(args) == 1 {
				return append(fields, zap.String(badKey, x))
			}
			fields = appendValue(fields, x, args[1])
			args = args[2:]
			continue
		case slog.Attr:
			fields = appendAttr(fields, x)
		case durable.Extra:
			fields = appendExtra(fields, x)
		case zap.Field:
			fields = append(fields, x)
		default:
			fields = appendValue(fields, badKey, x)
		}
		args = args[1:]
	}
	return fields
}

// appendAttrs appends one field per attribute (none for empty attributes
// and empty groups, several for a group with an empty key).
func appendAttrs(fields []zap.Field, attrs []slog.Attr) []zap.Field {
	for _, a := range attrs {
		fields = appendAttr(fields, a)
	}
	return fields
}

// appendAttr appends a's fields by log/slog's handler rules: LogValuers are
// resolved, an empty attribute is ignored, an empty group is dropped and a
// group with an empty key is inlined.
func appendAttr(fields []zap.Field, a slog.Attr) []zap.Field {
	v, kind := resolve(a.Value)
	switch {
	case kind == slog.KindGroup:
		return appendGroup(fields, a.Key, v.Group())
	case kind == slog.KindAny && a.Key == "" && v.Any() == nil:
		return fields // the zero Attr
	default:
		return append(fields, valueField(a.Key, v, kind))
	}
}

func appendGroup(fields []zap.Field, key string, group []slog.Attr) []zap.Field {
	switch {
	case len(group) == 0:
		return fields
	case key == "":
		return appendAttrs(fields, group)
	default:
		return append(fields, zap.Object(key, attrsObject(group)))
	}
}

// resolve resolves a LogValuer and returns the value with its kind. It
// spares the values that need no resolving (nearly all of them) the cost
// of slog.Value.Resolve, a deferred recover, and callers a second Kind.
func resolve(v slog.Value) (slog.Value, slog.Kind) {
	kind := v.Kind()
	if kind == slog.KindLogValuer {
		v = v.Resolve()
		kind = v.Kind()
	}
	return v, kind
}

// appendValue appends the field for a key/value pair of args. Plain values
// are tried first, as they are the common case and the cheapest to match.
func appendValue(fields []zap.Field, key string, v any) []zap.Field {
	if f, ok := plainField(key, v); ok {
		return append(fields, f)
	}
	switch x := v.(type) {
	case slog.Value:
		return appendAttr(fields, slog.Attr{Key: key, Value: x})
	case slog.LogValuer:
		return appendAttr(fields, slog.Any(key, x))
	}
	return append(fields, otherField(key, v))
}

// appendExtra appends one field per entry of e, in sorted key order.
func appendExtra(fields []zap.Field, e durable.Extra) []zap.Field {
	var buf [16]string
	for _, k := range sortedKeys(e, buf[:0]) {
		fields = appendValue(fields, k, e[k])
	}
	return fields
}

// sortedKeys appends e's keys to keys and sorts them.
func sortedKeys(e durable.Extra, keys []string) []string {
	for k := range e {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// valueField converts a resolved, non-group slog.Value of the given kind to
// a typed field.
func valueField(key string, v slog.Value, kind slog.Kind) zap.Field {
	switch kind {
	case slog.KindString:
		return zap.String(key, v.String())
	case slog.KindInt64:
		return zap.Int64(key, v.Int64())
	case slog.KindUint64:
		return zap.Uint64(key, v.Uint64())
	case slog.KindFloat64:
		return zap.Float64(key, v.Float64())
	case slog.KindBool:
		return zap.Bool(key, v.Bool())
	case slog.KindDuration:
		return zap.Duration(key, v.Duration())
	case slog.KindTime:
		return zap.Time(key, v.Time())
	default:
		return anyField(key, v.Any())
	}
}

// anyField converts a Go value to the typed zap field for its type,
// falling back to zap.Any (and so to reflection) only for types without
// one.
func anyField(key string, v any) zap.Field {
	if f, ok := plainField(key, v); ok {
		return f
	}
	return otherField(key, v)
}

// plainField converts strings, numbers, booleans, durations and times.
func plainField(key string, v any) (zap.Field, bool) {
	switch x := v.(type) {
	case string:
		return zap.String(key, x), true
	case int:
		return zap.Int(key, x), true
	case int64:
		return zap.Int64(key, x), true
	case int32:
		return zap.Int32(key, x), true
	case int16:
		return zap.Int16(key, x), true
	case int8:
		return zap.Int8(key, x), true
	case uint:
		return zap.Uint(key, x), true
	case uint64:
		return zap.Uint64(key, x), true
	case uint32:
		return zap.Uint32(key, x), true
	case uint16:
		return zap.Uint16(key, x), true
	case uint8:
		return zap.Uint8(key, x), true
	case uintptr:
		return zap.Uintptr(key, x), true
	case float64:
		return zap.Float64(key, x), true
	case float32:
		return zap.Float32(key, x), true
	case bool:
		return zap.Bool(key, x), true
	case time.Duration:
		return zap.Duration(key, x), true
	case time.Time:
		return zap.Time(key, x), true
	}
	return zap.Field{}, false
}

// otherField converts what plainField does not: marshalers, errors,
// Stringers and byte slices to their typed fields, the rest with zap.Any.
func otherField(key string, v any) zap.Field {
	switch x := v.(type) {
	case durable.Extra:
		return zap.Object(key, extraObject(x))
	case zapcore.ObjectMarshaler:
		return zap.Object(key, x)
	case zapcore.ArrayMarshaler:
		return zap.Array(key, x)
	case error:
		return zap.NamedError(key, x)
	case fmt.Stringer:
		return zap.Stringer(key, x)
	case []byte:
		return zap.Binary(key, x)
	default:
		return zap.Any(key, v)
	}
}

// attrsObject encodes a slog group as a nested zap object.
type attrsObject []slog.Attr

// MarshalLogObject adds the group's attributes to enc by appendAttr's rules.
func (g attrsObject) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	for _, a := range g {
		v, kind := resolve(a.Value)
		switch {
		case kind == slog.KindGroup && len(v.Group()) == 0:
		case kind == slog.KindGroup && a.Key == "":
			if err := attrsObject(v.Group()).MarshalLogObject(enc); err != nil {
				return err
			}
		case kind == slog.KindGroup:
			if err := enc.AddObject(a.Key, attrsObject(v.Group())); err != nil {
				return err
			}
		case kind == slog.KindAny && a.Key == "" && v.Any() == nil:
		default:
			valueField(a.Key, v, kind).AddTo(enc)
		}
	}
	return nil
}

// extraObject encodes a durable.Extra used as a value as a nested object
// with sorted keys.
type extraObject durable.Extra

// MarshalLogObject adds the entries of e to enc in sorted key order.
func (e extraObject) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	var buf [16]string
	for _, k := range sortedKeys(durable.Extra(e), buf[:0]) {
		for _, f := range appendValue(nil, k, e[k]) {
			f.AddTo(enc)
		}
	}
	return nil
}

// appendError appends Exception's error fields for a non-nil err. When err
// carries its own stack trace, it replaces the stack zap captured for ce.
func appendError(fields []zap.Field, err error, ce *zapcore.CheckedEntry) []zap.Field {
	fields = append(fields,
		zap.String(keyErrorType, reflect.TypeOf(err).String()),
		zap.String(keyErrorMessage, errorMessage(err)),
	)
	st := findStackTracer(err)
	if st == nil {
		return fields
	}
	if trace := stackTrace(st); len(trace) > 0 {
		ce.Stack = ""
		fields = append(fields, zap.Strings(keyStackTrace, trace))
	}
	return fields
}

// findStackTracer returns the first error in err's tree that carries a
// stack trace, or nil. It walks the tree as errors.As does, without the
// allocation errors.As costs for an interface target.
func findStackTracer(err error) stackTracer {
	for err != nil {
		switch x := err.(type) {
		case stackTracer:
			return x
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				if st := findStackTracer(e); st != nil {
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

// errorMessage returns err.Error(), or fmt's rendering of the panic when
// Error panics (for instance on a nil pointer receiver): a broken error
// must not take the function down with it.
func errorMessage(err error) (msg string) {
	defer func() {
		if recover() != nil {
			msg = fmt.Sprint(err)
		}
	}()
	return err.Error()
}

// stackTrace returns st.StackTrace(), or nil when it panics.
func stackTrace(st stackTracer) (trace []string) {
	defer func() {
		if recover() != nil {
			trace = nil
		}
	}()
	return st.StackTrace()
}
