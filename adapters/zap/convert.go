package zapadapter

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"time"

	"github.com/durable-go/durable-go/core/logsink"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// keyStackTrace is the key of the stack trace Exception adds, shared with
// the other durable loggers.
const keyStackTrace = "stackTrace"

// errorStack is Exception's stackTrace, the stack of the error logged,
// written as an array of frames. Its type tells NewLambdaLogger's core
// that the field is the line's own stack, not a field named like it.
type errorStack []string

// MarshalLogArray writes the frames.
func (s errorStack) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, f := range s {
		enc.AppendString(f)
	}
	return nil
}

// errorStackAttr returns a, an attribute keyed stackTrace on an Exception
// line for err, as an errorStack when it holds err's own stack, which then
// replaces the stack zap would add (the error's says more than where it
// was logged). a is returned as it is when the call replaced err's stack
// with a value of its own or err has none: a field like any other.
func errorStackAttr(ce *zapcore.CheckedEntry, err error, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindAny {
		return a
	}
	st, ok := a.Value.Any().([]string)
	if !ok || st == nil || !slices.Equal(st, logsink.ErrorStackTrace(err)) {
		return a
	}
	ce.Stack = ""
	return slog.Any(a.Key, errorStack(st))
}

// isErrorStack reports whether f is the field of an errorStack.
func isErrorStack(f zapcore.Field) bool {
	_, ok := f.Interface.(errorStack)
	return ok && f.Type == zapcore.ArrayMarshalerType
}

// badKey is log/slog's key for a value without a key, under which core
// hands over a zap.Field passed among the args.
const badKey = "!BADKEY"

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
	case kind == slog.KindAny && a.Key == badKey:
		if f, ok := v.Any().(zap.Field); ok {
			return append(fields, f) // a zap.Field among the args
		}
		return append(fields, valueField(a.Key, v, kind))
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
	case json.Marshaler:
		return zap.Reflect(key, guardedJSON{x})
	default:
		return zap.Any(key, v)
	}
}

// guardedJSON is a json.Marshaler whose MarshalJSON, when it panics, writes
// the panic as the string "!PANIC: <value>", as log/slog's JSON handler
// does, rather than taking the function down (zap's JSON encoder calls it
// unguarded, while writing the line).
type guardedJSON struct{ m json.Marshaler }

// MarshalJSON returns g.m's JSON; null for a nil pointer, as encoding/json
// writes one without calling its method.
func (g guardedJSON) MarshalJSON() (b []byte, err error) {
	if v := reflect.ValueOf(g.m); v.Kind() == reflect.Pointer && v.IsNil() {
		return []byte("null"), nil
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = json.Marshal(fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	return g.m.MarshalJSON()
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
