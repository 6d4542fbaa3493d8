package zerologadapter

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/logsink"
	"github.com/rs/zerolog"
)

// keyStackTrace is the key of Exception's stack trace, shared with the
// other durable loggers.
const keyStackTrace = "stackTrace"

// attrsObject lets With encode attributes into a zerolog context through
// zerolog.Context.EmbedObject, as a logging call writes them.
type attrsObject []slog.Attr

// MarshalZerologObject implements zerolog.LogObjectMarshaler.
func (a attrsObject) MarshalZerologObject(e *zerolog.Event) { appendAttrs(e, a) }

// appendAttrs adds attrs to e by log/slog's handler rules: a LogValuer is
// resolved now, an empty Attr and an empty group are skipped, a group with
// an empty key is inlined and any other group becomes a nested object.
//
// The kinds typed call sites produce most (string, int64, bool, float64,
// duration) are written here, in the loop, with zerolog's typed methods;
// the rarer kinds go through appendOther.
func appendAttrs(e *zerolog.Event, attrs []slog.Attr) *zerolog.Event {
	for i := range attrs {
		e = appendAttr(e, &attrs[i])
	}
	return e
}

// appendAttr adds one attribute, as appendAttrs does.
func appendAttr(e *zerolog.Event, a *slog.Attr) *zerolog.Event {
	switch a.Value.Kind() {
	case slog.KindString:
		return e.Str(a.Key, a.Value.String())
	case slog.KindInt64:
		return e.Int64(a.Key, a.Value.Int64())
	case slog.KindBool:
		return e.Bool(a.Key, a.Value.Bool())
	case slog.KindFloat64:
		return e.Float64(a.Key, a.Value.Float64())
	case slog.KindDuration:
		return e.Dur(a.Key, a.Value.Duration())
	}
	return appendOther(e, a.Key, a.Value)
}

// appendValue adds the attribute key=v, as appendAttrs does.
func appendValue(e *zerolog.Event, key string, v slog.Value) *zerolog.Event {
	a := [1]slog.Attr{{Key: key, Value: v}}
	return appendAttrs(e, a[:])
}

// appendOther adds key=v for the kinds appendAttrs leaves to it.
func appendOther(e *zerolog.Event, key string, v slog.Value) *zerolog.Event {
	switch v.Kind() {
	case slog.KindLogValuer:
		// Resolve only here: it defers a recover, which the common case
		// need not pay for.
		return appendValue(e, key, v.Resolve())
	case slog.KindUint64:
		return e.Uint64(key, v.Uint64())
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
		return appendError(e, key, v)
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
		return appendInterface(e, key, v)
	}
}

// appendInterface adds v with Event.Interface, which marshals it with
// zerolog.InterfaceMarshalFunc (encoding/json unless configured). A
// MarshalJSON (or a custom marshal func) that panics writes the panic
// under key, as log/slog's JSON handler does, rather than taking the
// function down: Interface updates the event only once marshaling
// returned, so the event is intact when it panics.
func appendInterface(e *zerolog.Event, key string, v any) (out *zerolog.Event) {
	defer func() {
		if r := recover(); r != nil {
			out = e.Str(key, fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	return e.Interface(key, v)
}

// appendErrorStack adds, for an Exception whose error carries no stack of
// its own, the stack zerolog.ErrorStackMarshaler finds, when it is set; a
// marshaler that panics finds none.
func appendErrorStack(e *zerolog.Event, r *logsink.Record) *zerolog.Event {
	m := zerolog.ErrorStackMarshaler
	if m == nil {
		return e
	}
	for a := range r.Attrs {
		if a.Key == keyStackTrace {
			return e
		}
	}
	return appendStack(e, marshalStack(m, r.Err))
}

// marshalStack returns m(err), or nil when m panics: a marshaler calling
// the methods of a typed nil error (pkgerrors.MarshalStack calls Unwrap)
// must not take the function down for logging it.
func marshalStack(m func(error) any, err error) (stack any) {
	defer func() {
		if recover() != nil {
			stack = nil
		}
	}()
	return m(err)
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
		return e.Str(keyStackTrace, logsink.ErrorMessage(s))
	default:
		return appendCollection(e, keyStackTrace, s)
	}
}

// appendError writes err under key as zerolog.ErrorMarshalFunc renders it,
// as Event.AnErr does, except that an error is written with
// logsink.ErrorMessage: an error whose Error method panics (a typed nil
// pointer, typically) is written as "<nil>" or fmt's panic note, as the
// other adapters write it, rather than taking the function down (AnErr
// calls Error unguarded) or vanishing from the line (AnErr drops a typed
// nil).
func appendError(e *zerolog.Event, key string, err error) *zerolog.Event {
	switch m := marshalError(err).(type) {
	case nil:
		return e
	case error:
		return e.Str(key, logsink.ErrorMessage(m))
	case zerolog.LogObjectMarshaler:
		return e.Object(key, m)
	case string:
		return e.Str(key, m)
	default:
		return appendInterface(e, key, m)
	}
}

// marshalError applies zerolog.ErrorMarshalFunc to err; a marshaler that
// panics leaves err as it is.
func marshalError(err error) (m any) {
	defer func() {
		if recover() != nil {
			m = err
		}
	}()
	return zerolog.ErrorMarshalFunc(err)
}
