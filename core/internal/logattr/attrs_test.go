package logattr

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// extra stands for durable.Extra, which this package cannot import.
type extra map[string]any

func init() {
	AsExtra = func(v any) (Extra, bool) {
		e, ok := v.(extra)
		return e, ok
	}
}

func render(attrs []slog.Attr) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = a.Key + "=" + a.Value.String()
	}
	return strings.Join(parts, " ")
}

// TestExtraExpansion checks that an Extra's entries come in sorted key
// order, that one of its keys already in the set replaces that value where
// it stands, and that an Extra used as a value becomes a sorted group,
// for short and long maps alike.
func TestExtraExpansion(t *testing.T) {
	long := extra{}
	var want []string
	for i := range 20 {
		k := fmt.Sprintf("k%02d", 19-i)
		long[k] = i
	}
	for i := range 20 {
		want = append(want, fmt.Sprintf("k%02d=%d", i, 19-i))
	}
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"sorted", []any{extra{"c": 3, "a": 1, "b": 2}}, "a=1 b=2 c=3"},
		{"after a pair", []any{"z", 0, extra{"c": 3, "a": 1}}, "z=0 a=1 c=3"},
		{"replaces in place", []any{"b", 0, "z", 9, extra{"c": 3, "b": 2, "a": 1}}, "b=2 z=9 a=1 c=3"},
		{"nested", []any{"m", extra{"y": 2, "x": 1}}, "m=[x=1 y=2]"},
		{"long", []any{long}, strings.Join(want, " ")},
	} {
		var buf [4]slog.Attr
		s := NewSet(buf[:0])
		s.Args(c.args)
		if got := render(s.A); got != c.want {
			t.Errorf("%s: attrs = %s, want %s", c.name, got, c.want)
		}
	}
}

// TestExtraValuesAsSlog checks that an Extra's values become the slog
// values slog.AnyValue makes of them, the common types converted by
// setAnyAttr's own switch included, named types and nil too.
func TestExtraValuesAsSlog(t *testing.T) {
	type named string
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	values := []any{"s", 42, int64(-7), true, 0.75, 1500 * time.Millisecond,
		uint64(9), at, named("n"), struct{ A int }{1}, nil, int32(3), float32(1.5), slog.IntValue(5)}
	for _, v := range values {
		var got slog.Attr
		setAnyAttr(&got, "k", v)
		want := slog.Any("k", v)
		if !got.Equal(want) || got.Value.Kind() != want.Value.Kind() {
			t.Errorf("%T %v: got %v (%v), want %v (%v)", v, v, got, got.Value.Kind(), want, want.Value.Kind())
		}
	}
}
