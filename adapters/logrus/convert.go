package logrusadapter

import (
	"log/slog"
	"reflect"

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
		return v.Float64()
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
// itself refuses as a field, its type name.
func plain(v any) any {
	switch x := v.(type) {
	case nil, string, int, int64, float64, bool:
		return v
	case error:
		return logsink.ErrorMessage(x)
	}
	if t := reflect.TypeOf(v); t.Kind() == reflect.Func ||
		t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Func {
		return t.String()
	}
	return v
}
