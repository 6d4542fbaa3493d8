package zerologadapter

import (
	"log/slog"
	"math"
	"time"
	"unsafe"
)

// valueNum returns the 64 bits in which v, whose kind the caller has
// checked to be KindInt64, KindUint64, KindFloat64, KindBool or
// KindDuration, holds its value: the int64, uint64 or duration as is, the
// float64's IEEE 754 bits, 1 for true and 0 for false. It is what
// slog.Value's accessors return, minus a function call and a second kind
// check each, which on a five-field line is a few percent of zerolog's
// whole time.
//
// It reads the first word of v, where log/slog (Go 1.21 and later) keeps
// these values. rawValues checks that layout once, at start-up, against
// the accessors; when a Go release changes it, valueNum falls back to them.
func valueNum(v *slog.Value) uint64 {
	if rawValues {
		return *(*uint64)(unsafe.Pointer(v))
	}
	return accessorNum(*v)
}

// accessorNum is valueNum through slog.Value's accessors.
func accessorNum(v slog.Value) uint64 {
	switch v.Kind() {
	case slog.KindInt64:
		return uint64(v.Int64())
	case slog.KindUint64:
		return v.Uint64()
	case slog.KindFloat64:
		return math.Float64bits(v.Float64())
	case slog.KindBool:
		if v.Bool() {
			return 1
		}
		return 0
	case slog.KindDuration:
		return uint64(v.Duration())
	}
	return 0
}

// rawValues reports whether valueNum may read slog.Value's first word.
var rawValues = checkRawValues()

// checkRawValues compares, for values of each kind valueNum reads, the
// first word of the slog.Value with what its accessor returns.
func checkRawValues() bool {
	if unsafe.Sizeof(slog.Value{}) < unsafe.Sizeof(uint64(0)) {
		return false
	}
	for _, v := range []slog.Value{
		slog.Int64Value(-7), slog.Int64Value(math.MaxInt64),
		slog.Uint64Value(math.MaxUint64), slog.Uint64Value(3),
		slog.Float64Value(0.75), slog.Float64Value(math.Inf(-1)),
		slog.BoolValue(true), slog.BoolValue(false),
		slog.DurationValue(-1500 * time.Millisecond), slog.DurationValue(time.Hour),
	} {
		if *(*uint64)(unsafe.Pointer(&v)) != accessorNum(v) {
			return false
		}
	}
	return true
}
