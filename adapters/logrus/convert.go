package logrusadapter

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"

	durable "github.com/durable-go/durable-go/core"
	"github.com/sirupsen/logrus"
)

// Error field keys of Exception, shared with the other durable loggers.
const (
	keyErrorType    = "errorType"
	keyErrorMessage = "errorMessage"
	keyStackTrace   = "stackTrace"

	// errorFieldCount is how many fields Exception may add.
	errorFieldCount = 3
)

// badKey is slog's key for a value that has no key.
const badKey = "!BADKEY"

// stackTracer is an error that carries its own stack trace.
type stackTracer interface {
	StackTrace() []string
}

// addError adds Exception's error fields for err to dst. A nil err adds
// nothing.
func addError(dst logrus.Fields, err error) {
	if err == nil {
		return
	}
	dst[keyErrorType] = fmt.Sprintf("%T", err)
	dst[keyErrorMessage] = errorString(err)
	var st stackTracer
	if errors.As(err, &st) {
		dst[keyStackTrace] = st.StackTrace()
	}
}

// addArgs adds LoggerInterface args to dst by log/slog's rules: a string
// key takes the next arg as its value, a slog.Attr stands alone, and
// anything else (or a final key without a value) is stored under
// "!BADKEY". A durable.Extra in key position adds each of its entries.
// Later keys override earlier ones, including bound fields.
func addArgs(dst logrus.Fields, args []any) {
	for len(args) > 0 {
		switch a := args[0].(type) {
		case string:
			if len(args) == 1 {
				dst[badKey] = a
				return
			}
			addValue(dst, a, args[1])
			args = args[2:]
			continue
		case slog.Attr:
			addAttr(dst, a)
		case durable.Extra:
			addExtra(dst, a)
		default:
			addValue(dst, badKey, a)
		}
		args = args[1:]
	}
}

// countArgs returns how many fields addArgs will add for args, so the map
// is made at its final size: logrus copies it once more per line, and an
// oversized map costs on both copies.
func countArgs(args []any) int {
	n := 0
	for i := 0; i < len(args); i++ {
		switch a := args[i].(type) {
		case string:
			i++ // skip the value
		case durable.Extra:
			n += len(a) - 1
		}
		n++
	}
	return n
}

// addExtra adds e's entries in sorted key order, the order the contract
// gives Extra; it matters only when an entry is an inlined group.
func addExtra(dst logrus.Fields, e durable.Extra) {
	var buf [16]string
	keys := buf[:0]
	for k := range e {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		addValue(dst, k, e[k])
	}
}

// addValue adds v under key, unwrapping the slog and durable types that
// carry structure so that logrus formatters see plain values.
func addValue(dst logrus.Fields, key string, v any) {
	switch x := v.(type) {
	case slog.Value:
		addAttr(dst, slog.Attr{Key: key, Value: x})
	case slog.LogValuer:
		addAttr(dst, slog.Any(key, x))
	default:
		dst[key] = plain(v)
	}
}

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
		return errorString(x)
	case durable.Extra:
		m := make(map[string]any, len(x))
		addExtra(m, x)
		return m
	}
	if t := reflect.TypeOf(v); t.Kind() == reflect.Func ||
		t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Func {
		return t.String()
	}
	return v
}

// errorString is err's message. fmt, unlike err.Error(), survives a nil
// pointer inside err.
func errorString(err error) string {
	return fmt.Sprint(err)
}
