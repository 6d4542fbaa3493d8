package logtest

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDecodeObject(t *testing.T) {
	tests := []struct {
		name string
		line string
		ok   bool
	}{
		{"object", `{"a":1}`, true},
		{"duplicate keys", `{"a":1,"a":2}`, true},
		{"two objects", `{"a":1}{"b":2}`, false},
		{"array", `[1]`, false},
		{"null", `null`, false},
		{"text", `level=INFO msg=hi`, false},
		{"truncated", `{"a":`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeObject(tt.line)
			if (err == nil) != tt.ok {
				t.Errorf("decodeObject(%q) error = %v, want ok=%v", tt.line, err, tt.ok)
			}
		})
	}
}

func TestDecodeObjectLastKeyWins(t *testing.T) {
	m, err := decodeObject(`{"k":"first","k":"second"}`)
	if err != nil || m["k"] != "second" {
		t.Errorf(`decodeObject = %v, %v; want k="second"`, m, err)
	}
}

func TestCheckShape(t *testing.T) {
	tests := []struct {
		name string
		line string
		ok   bool
	}{
		{"lambda shape", `{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","message":"m"}`, true},
		{"zone offset", `{"timestamp":"2026-01-01T01:00:00.000+01:00","level":"WARN","message":""}`, false},
		{"seconds only", `{"timestamp":"2026-01-01T00:00:00Z","level":"WARN","message":""}`, false},
		{"nanoseconds", `{"timestamp":"2026-01-01T00:00:00.123456789Z","level":"WARN","message":""}`, false},
		{"missing timestamp", `{"level":"INFO","message":"m"}`, false},
		{"epoch timestamp", `{"timestamp":1767225600,"level":"INFO","message":"m"}`, false},
		{"not RFC 3339", `{"timestamp":"Jan 1 2026","level":"INFO","message":"m"}`, false},
		{"lower-case level", `{"timestamp":"2026-01-01T00:00:00.000Z","level":"info","message":"m"}`, false},
		{"logrus warning", `{"timestamp":"2026-01-01T00:00:00.000Z","level":"WARNING","message":"m"}`, false},
		{"msg key", `{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","msg":"m"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := decodeObject(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkShape(m); (err == nil) != tt.ok {
				t.Errorf("checkShape(%s) error = %v, want ok=%v", tt.line, err, tt.ok)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	instant := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name string
		got  any
		want any
		ok   bool
	}{
		{"int", json.Number("42"), 42, true},
		{"int as float", json.Number("42.0"), 42, true},
		{"int mismatch", json.Number("43"), 42, false},
		{"string number", "42", 42, false},
		{"float", json.Number("3.5"), 3.5, true},
		{"string", "v", "v", true},
		{"bool", true, true, true},
		{"bool mismatch", false, true, false},
		{"nested map", map[string]any{"a": map[string]any{"b": "c"}}, map[string]any{"a": map[string]any{"b": "c"}}, true},
		{"map extra key", map[string]any{"a": "x", "b": "y"}, map[string]any{"a": "x"}, false},
		{"map as string", `{"a":"x"}`, map[string]any{"a": "x"}, false},
		{"duration as number", json.Number("1.5"), aNumberOrString, true},
		{"duration as string", "1.5s", aNumberOrString, true},
		{"duration missing", nil, aNumberOrString, false},
		{"instant in another zone", "2001-02-03T05:05:06+01:00", theInstant(instant), true},
		{"another instant", "2001-02-03T04:05:07Z", theInstant(instant), false},
		{"line's own timestamp", "2026-01-01T00:00:00Z", notTheInstant(instant), true},
		{"field value as timestamp", "2001-02-03T04:05:06Z", notTheInstant(instant), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matches(tt.got, tt.want); got != tt.ok {
				t.Errorf("matches(%#v, %s) = %v, want %v", tt.got, describeWant(tt.want), got, tt.ok)
			}
		})
	}
}

func TestNewOutputSplitsLines(t *testing.T) {
	raw := `{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","message":"a"}` + "\n" +
		`{"timestamp":"2026-01-01T00:00:00.000Z","level":"ERROR","message":"b\nc"}` + "\n"
	o := newOutput(t, raw)
	if len(o.lines) != 2 || o.lines[1].fields["message"] != "b\nc" {
		t.Errorf("newOutput lines = %+v, want 2 lines, the second with message \"b\\nc\"", o.lines)
	}
}
