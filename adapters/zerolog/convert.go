package zerologadapter

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/rs/zerolog"
)

// Keys the adapter writes on its own: slog's key for a value without one,
// and Exception's error fields, shared with the other durable loggers.
const (
	badKey          = "!BADKEY"
	keyErrorType    = "errorType"
	keyErrorMessage = "errorMessage"
	keyStackTrace   = "stackTrace"
)

// appendArgs adds LoggerInterface args to e by log/slog's rules: a string
// takes the next arg as its value, a slog.Attr stands for itself, and
// anything else (or a string with nothing after it) gets the key "!BADKEY".
// A durable.Extra in key position adds one field per entry, in sorted key
// order.
func appendArgs(e *zerolog.Event, args []any) *zerolog.Event {
	for i := 0; i < len(args); i++ {
		switch a := args[i].(type) {
		case string:
			if i+1 == len(args) {
				return e.Str(badKey, a)
			}
			i++
			e = appendAny(e, a, args[i])
		case slog.Attr:
			e = appendValue(e, a.Key, a.Value)
		case durable.Extra:
			e = appendExtra(e, a)
		default:
			e = appendAny(e, badKey, a)
		}
	}
	return e
}

// argsObject lets With encode args into a zerolog context through
// zerolog.Context.EmbedObject, by the same rules as a logging call.
type argsObject []any

// MarshalZerologObject implements zerolog.LogObjectMarshaler.
func (a argsObject) MarshalZerologObject(e *zerolog.Event) { appendArgs(e, a) }

// appendExtra adds x's entries in sorted key order, so that a line reads
// the same on every run.
func appendExtra(e *zerolog.Event, x durable.Extra) *zerolog.Event {
	var arr [16]string // sorts a typical Extra without a heap allocation
	keys := arr[:0]
	for k := range x {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e = appendAny(e, k, x[k])
	}
	return e
}

func appendAttrs(e *zerolog.Event, attrs []slog.Attr) *zerolog.Event {
	for i := range attrs {
		e = appendValue(e, attrs[i].Key, attrs[i].Value)
	}
	return e
}

// appendValue adds the attribute key=v by log/slog's handler rules: a
// LogValuer is resolved now, an empty Attr and an empty group are skipped,
// a group with an empty key is inlined and any other group becomes a
// nested object.
func appendValue(e *zerolog.Event, key string, v slog.Value) *zerolog.Event {
	kind := v.Kind()
	if kind == slog.KindLogValuer {
		// Resolve only here: it defers a recover, which the common case
		// need not pay for.
		v = v.Resolve()
		kind = v.Kind()
	}
	switch kind {
	case slog.KindString:
		return e.Str(key, v.String())
	case slog.KindInt64:
		return e.Int64(key, v.Int64())
	case slog.KindUint64:
		return e.Uint64(key, v.Uint64())
	case slog.KindFloat64:
		return e.Float64(key, v.Float64())
	case slog.KindBool:
		return e.Bool(key, v.Bool())
	case slog.KindDuration:
		return e.Dur(key, v.Duration())
	case slog.KindTime:
		return e.Time(key, v.Time())
	case slog.KindGroup:
		return appendGroup(e, key, v.Group())
	default:
		if key == "" && v.Any() == nil {
			return e // the zero Attr
		}
		return appendAny(e, key, v.Any())
	}
}

func appendGroup(e *zerolog.Event, key string, attrs []slog.Attr) *zerolog.Event {
	switch {
	case len(attrs) == 0:
		return e
	case key == "":
		return appendAttrs(e, attrs)
	default:
		return e.Dict(key, appendAttrs(e.CreateDict(), attrs))
	}
}

// appendAny adds v under key with zerolog's typed method for v's type. It
// falls back to Interface (JSON through zerolog.InterfaceMarshalFunc) only
// for types zerolog has no method for.
func appendAny(e *zerolog.Event, key string, v any) *zerolog.Event {
	switch v := v.(type) {
	case string:
		return e.Str(key, v)
	case int:
		return e.Int(key, v)
	case int64:
		return e.Int64(key, v)
	case int32:
		return e.Int32(key, v)
	case int16:
		return e.Int16(key, v)
	case int8:
		return e.Int8(key, v)
	case uint:
		return e.Uint(key, v)
	case uint64:
		return e.Uint64(key, v)
	case uint32:
		return e.Uint32(key, v)
	case uint16:
		return e.Uint16(key, v)
	case uint8:
		return e.Uint8(key, v)
	case float64:
		return e.Float64(key, v)
	case float32:
		return e.Float32(key, v)
	case bool:
		return e.Bool(key, v)
	case time.Duration:
		return e.Dur(key, v)
	case time.Time:
		return e.Time(key, v)
	case slog.Value:
		return appendValue(e, key, v)
	case slog.LogValuer: // before error: slog resolves a LogValuer first
		return appendValue(e, key, slog.AnyValue(v))
	case error:
		return e.AnErr(key, v) // honours zerolog.ErrorMarshalFunc
	default:
		return appendCollection(e, key, v)
	}
}

// appendCollection covers the slices and marshalers zerolog has typed
// methods for, then falls back to Interface.
func appendCollection(e *zerolog.Event, key string, v any) *zerolog.Event {
	switch v := v.(type) {
	case []string:
		return e.Strs(key, v)
	case []int:
		return e.Ints(key, v)
	case []int64:
		return e.Ints64(key, v)
	case []float64:
		return e.Floats64(key, v)
	case []bool:
		return e.Bools(key, v)
	case []byte:
		return e.Bytes(key, v)
	case []time.Duration:
		return e.Durs(key, v)
	case []time.Time:
		return e.Times(key, v)
	case []error:
		return e.Errs(key, v)
	case zerolog.LogObjectMarshaler:
		return e.Object(key, v)
	case zerolog.LogArrayMarshaler:
		return e.Array(key, v)
	default:
		return e.Interface(key, v)
	}
}

// appendError adds Exception's error fields for err.
func appendError(e *zerolog.Event, err error) *zerolog.Event {
	if err == nil {
		return e
	}
	e = e.Str(keyErrorType, durable.ErrorType(err)).Str(keyErrorMessage, errorMessage(err))
	if st := findStackTracer(err); st != nil {
		return e.Strs(keyStackTrace, st.StackTrace())
	}
	if m := zerolog.ErrorStackMarshaler; m != nil {
		return appendStack(e, m(err))
	}
	return e
}

// errorMessage is err.Error(), or fmt's rendering of err when Error panics
// (a nil pointer inside err, typically), so that logging never panics.
func errorMessage(err error) (msg string) {
	defer func() {
		if recover() != nil {
			msg = fmt.Sprint(err)
		}
	}()
	return err.Error()
}

// findStackTracer returns the first error in err's tree that implements
// durable.StackTracer, walking it as errors.As does (and so as
// durable.ErrorStackTrace does) but without the allocation errors.As needs
// for its target.
func findStackTracer(err error) durable.StackTracer {
	for err != nil {
		if st, ok := err.(durable.StackTracer); ok {
			return st
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				if st := findStackTracer(inner); st != nil {
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

// appendStack adds what zerolog.ErrorStackMarshaler returned, as zerolog's
// own Event.Err does, under the contract's stackTrace key.
func appendStack(e *zerolog.Event, stack any) *zerolog.Event {
	switch s := stack.(type) {
	case nil:
		return e
	case string:
		return e.Str(keyStackTrace, s)
	case error:
		return e.Str(keyStackTrace, errorMessage(s))
	default:
		return appendCollection(e, keyStackTrace, s)
	}
}
