package logrusadapter

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"strconv"

	"github.com/durable-go/durable-go/core/logsink"
)

// addAttr adds a to dst as slog handlers would: LogValuers are resolved,
// a group becomes a nested map (or is inlined when its key is empty, or
// dropped when it is empty), and the zero Attr is ignored.
func addAttr(dst map[string]any, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		addGroup(dst, a.Key, v.Group())
		return
	}
	if a.Key == "" && v.Kind() == slog.KindAny && v.Any() == nil {
		return
	}
	dst[a.Key] = valueOf(v)
}

func addGroup(dst map[string]any, key string, attrs []slog.Attr) {
	if len(attrs) == 0 {
		return
	}
	if key == "" {
		for _, a := range attrs {
			addAttr(dst, a)
		}
		return
	}
	m := make(map[string]any, len(attrs))
	for _, a := range attrs {
		addAttr(m, a)
	}
	dst[key] = m
}

// valueOf returns a resolved, non-group slog.Value as a Go value. The typed
// accessors avoid boxing through Value.Any.
func valueOf(v slog.Value) any {
	switch v.Kind() {
	case slog.KindString:
		return v.String()
	case slog.KindInt64:
		return v.Int64()
	case slog.KindUint64:
		return v.Uint64()
	case slog.KindFloat64:
		return finite(v.Float64(), 64)
	case slog.KindBool:
		return v.Bool()
	case slog.KindDuration:
		return v.Duration()
	case slog.KindTime:
		return v.Time()
	default:
		return plain(v.Any())
	}
}

// plain turns the values logrus formatters handle badly into ones they
// handle well: an error becomes its message (encoding/json would print {}),
// an Extra a map with the same conversions, and a func, which logrus
// itself refuses as a field, its type name. Values encoding/json refuses
// (NaN and infinite floats, complex numbers, channels, cycles, a failing
// or panicking MarshalJSON) become strings, as zap and zerolog write
// them: logrus's JSONFormatter marshals all fields at once, so one such
// value would lose the whole line (logrus prints "Failed to obtain
// reader" to stderr instead).
func plain(v any) any {
	switch x := v.(type) {
	case nil, string, int, int64, bool:
		return v
	case float64:
		return finite(x, 64)
	case float32:
		return finite(float64(x), 32)
	case complex128:
		return strconv.FormatComplex(x, 'g', -1, 128)
	case complex64:
		return strconv.FormatComplex(complex128(x), 'g', -1, 64)
	case error:
		return logsink.ErrorMessage(x)
	}
	switch t := reflect.TypeOf(v); t.Kind() {
	case reflect.Func:
		return t.String()
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Func {
			return t.String()
		}
		return marshalable(v)
	case reflect.Map, reflect.Slice, reflect.Array, reflect.Struct, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return marshalable(v)
	}
	return v
}

// finite returns f, or its name ("NaN", "+Inf", "-Inf") when encoding/json
// cannot encode it.
func finite(f float64, bits int) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	if bits == 32 {
		return float32(f)
	}
	return f
}

// marshalable returns v when encoding/json can encode it, fmt's rendering
// of it when encoding fails, and "!PANIC: <value>" when it panics, as
// log/slog's JSON handler and the zerolog adapter write it.
func marshalable(v any) (out any) {
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprintf("!PANIC: %v", r)
		}
	}()
	if _, err := json.Marshal(v); err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return v
}
