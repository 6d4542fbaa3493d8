package durable

import (
	"encoding/json"
	"math"
	"testing"
)

// The scalar fast paths must write and read exactly what encoding/json
// does, or decline.
func TestScalarSerdesMatchesEncodingJSON(t *testing.T) {
	for _, v := range []int{0, 1, -1, 42, math.MaxInt, math.MinInt} {
		checkScalar(t, v)
	}
	for _, v := range []int64{0, -7, math.MaxInt64} {
		checkScalar(t, v)
	}
	checkScalar(t, true)
	checkScalar(t, false)
	for _, v := range []string{"", "ok", "a b", "<tag>", "a&b", `q"uote`, `back\slash`, "tab\t", "é", "\xff", "line\n"} {
		checkScalar(t, v)
	}
}

func checkScalar[T comparable](t *testing.T, v T) {
	t.Helper()
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := encodeScalar(&v); ok && got != string(want) {
		t.Errorf("encodeScalar(%#v) = %s, encoding/json writes %s", v, got, want)
	}
	var got, ref T
	if decodeScalar(string(want), &got) {
		if err := json.Unmarshal(want, &ref); err != nil || got != ref {
			t.Errorf("decodeScalar(%s) = %#v, encoding/json reads %#v (%v)", want, got, ref, err)
		}
	}
}

func FuzzDecodeScalarAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{"0", "-0", "+1", "01", "12", "1e3", "1.0", " 1", `"x"`, `"\u0041"`, `"<"`, "true", "nul", `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		fuzzScalar[int](t, data)
		fuzzScalar[int64](t, data)
		fuzzScalar[bool](t, data)
		fuzzScalar[string](t, data)
	})
}

func fuzzScalar[T comparable](t *testing.T, data string) {
	var got, ref T
	if !decodeScalar(data, &got) {
		return
	}
	if err := json.Unmarshal([]byte(data), &ref); err != nil || got != ref {
		t.Errorf("decodeScalar(%q) = %#v, encoding/json: %#v, %v", data, got, ref, err)
	}
}
