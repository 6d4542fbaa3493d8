package conformance

import (
	"encoding/json"
	"testing"
)

func TestStringForm(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"string unchanged", "  x ", "  x "},
		{"integer digits", json.Number("42"), "42"},
		{"negative integer", json.Number("-7"), "-7"},
		{"float keeps a decimal", json.Number("2.0"), "2.0"},
		{"float shortest digits", json.Number("0.1"), "0.1"},
		{"large float in scientific form", json.Number("1e16"), "1e+16"},
		{"small float in scientific form", json.Number("0.00001"), "1e-05"},
		{"small float in fixed form", json.Number("0.0001"), "0.0001"},
		{"true", true, "True"},
		{"false", false, "False"},
		{"null", nil, "None"},
		{"list repr", []any{"a", json.Number("1"), nil}, "['a', 1, None]"},
		{"dict repr keeps order", mapOf("b", true, "a", "it's"), `{'b': True, 'a': "it's"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stringForm(tt.v); got != tt.want {
				t.Errorf("stringForm(%s) = %q, want %q", show(tt.v), got, tt.want)
			}
		})
	}
}

func TestPythonJSON(t *testing.T) {
	tests := []struct {
		name string
		yaml string // value under key v
		want string
	}{
		{"mapping with reference separators", "v: {status: approved}", `{"status": "approved"}`},
		{"key order kept", "v: {zeta: 1, alpha: [1, 2]}", `{"zeta": 1, "alpha": [1, 2]}`},
		{"string", "v: abc", `"abc"`},
		{"number", "v: 42", `42`},
		{"float", "v: 1.5", `1.5`},
		{"null", "v:", `null`},
		{"booleans", "v: [true, false]", `[true, false]`},
		{"non-ASCII escaped", "v: café", `"caf\u00e9"`},
		{"astral plane as surrogate pair", "v: \"\U0001F600\"", `"\ud83d\ude00"`},
		{"quotes and backslashes", `v: 'a"b\c'`, `"a\"b\\c"`},
		{"control characters", "v: \"a\\nb\\tc\\u0001\"", `"a\nb\tc\u0001"`},
		{"slash and html not escaped", "v: </a&b>", `"</a&b>"`},
		{"empty containers", "v: [{}, []]", `[{}, []]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := yamlValue(t, tt.yaml).(*Map).Get("v")
			if got := PythonJSON(v); got != tt.want {
				t.Errorf("PythonJSON = %s, want %s", got, tt.want)
			}
		})
	}
}
