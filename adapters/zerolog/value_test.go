package zerologadapter

import (
	"log/slog"
	"math"
	"testing"
	"time"
)

// valueNumCases are values of every kind valueNum reads, edges included.
var valueNumCases = []slog.Value{
	slog.Int64Value(0), slog.Int64Value(-1), slog.Int64Value(math.MinInt64), slog.Int64Value(math.MaxInt64),
	slog.IntValue(12345), slog.Uint64Value(0), slog.Uint64Value(math.MaxUint64),
	slog.Float64Value(0), slog.Float64Value(-0.75), slog.Float64Value(math.NaN()), slog.Float64Value(math.Inf(1)),
	slog.BoolValue(true), slog.BoolValue(false),
	slog.DurationValue(0), slog.DurationValue(-time.Nanosecond), slog.DurationValue(1500 * time.Millisecond),
}

// The fast path is in force on the Go this module is built with: a Go
// release that moves slog.Value's number fails here, and the adapter falls
// back to the accessors, correct but slower, until valueNum is revisited.
func TestValueNumReadsSlogValuesDirectly(t *testing.T) {
	if !rawValues {
		t.Fatal("slog.Value's layout check failed: valueNum uses the accessors (slower); revisit value.go for this Go release")
	}
	for _, v := range valueNumCases {
		if got, want := valueNum(&v), accessorNum(v); got != want {
			t.Errorf("valueNum(%v) = %#x, the accessor gives %#x", v, got, want)
		}
	}
}

// Without the fast path, valueNum gives the accessors' values.
func TestValueNumFallsBackToAccessors(t *testing.T) {
	defer func(saved bool) { rawValues = saved }(rawValues)
	rawValues = false
	for _, v := range valueNumCases {
		var want uint64
		switch v.Kind() {
		case slog.KindInt64:
			want = uint64(v.Int64())
		case slog.KindUint64:
			want = v.Uint64()
		case slog.KindFloat64:
			want = math.Float64bits(v.Float64())
		case slog.KindBool:
			if v.Bool() {
				want = 1
			}
		case slog.KindDuration:
			want = uint64(v.Duration())
		}
		if got := valueNum(&v); got != want {
			t.Errorf("valueNum(%v) = %#x without the fast path, want %#x", v, got, want)
		}
	}
}
