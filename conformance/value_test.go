package conformance

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseYAMLValues(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want any
	}{
		{"empty value is null", "a:\n", mapOf("a", nil)},
		{"explicit null", "a: null\n", mapOf("a", nil)},
		{"integer is a number", "a: 2\n", mapOf("a", json.Number("2"))},
		{"float keeps its value", "a: 2.50\n", mapOf("a", json.Number("2.5"))},
		{"quoted number stays a string", "a: '2'\n", mapOf("a", "2")},
		{"booleans", "a: true\nb: false\n", mapOf("a", true, "b", false)},
		{"quoted star is a string", "a: '*'\n", mapOf("a", "*")},
		{"flow mapping", "a: {x: 1}\n", mapOf("a", mapOf("x", json.Number("1")))},
		{"list", "a: [r0, 1]\n", mapOf("a", []any{"r0", json.Number("1")})},
		{"empty mapping", "a: {}\n", mapOf("a", NewMap())},
		{"document marker and comments", "---\n# c\na: x # d\n", mapOf("a", "x")},
		{"hex integer", "a: 0x10\n", mapOf("a", json.Number("16"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := yamlValue(t, tt.yaml)
			if !deepEqual(got, tt.want) {
				t.Errorf("got %s, want %s", show(got), show(tt.want))
			}
		})
	}
}

func TestParseYAMLKeepsKeyOrder(t *testing.T) {
	m := yamlValue(t, "z: 1\na: 2\nm: {y: 1, b: 2}\n").(*Map)
	if got := m.Keys(); !reflect.DeepEqual(got, []string{"z", "a", "m"}) {
		t.Errorf("keys %v, want [z a m]", got)
	}
	inner, _ := m.Get("m")
	if got := inner.(*Map).Keys(); !reflect.DeepEqual(got, []string{"y", "b"}) {
		t.Errorf("inner keys %v, want [y b]", got)
	}
}

func TestParseYAMLRejects(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"duplicate key", "a: 1\na: 2\n", "duplicate key"},
		{"alias", "a: &x 1\nb: *x\n", "aliases"},
		{"infinity", "a: .inf\n", "no JSON form"},
		{"syntax", "a: [1\n", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseYAML([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	m := jsonMap(t, `{"b": 1, "a": [true, null, "x", 2.0], "c": {}}`)
	if got := m.Keys(); !reflect.DeepEqual(got, []string{"b", "a", "c"}) {
		t.Errorf("keys %v, want [b a c]", got)
	}
	a, _ := m.Get("a")
	if want := []any{true, nil, "x", json.Number("2.0")}; !reflect.DeepEqual(a, want) {
		t.Errorf("a = %#v, want %#v", a, want)
	}
	for _, bad := range []string{`{"a":1} x`, `{"a"`, ``} {
		if _, err := ParseJSON([]byte(bad)); err == nil {
			t.Errorf("ParseJSON(%q) succeeded, want an error", bad)
		}
	}
}

func TestMapMarshalJSONKeepsOrder(t *testing.T) {
	m := mapOf("z", "<a&b>", "a", []any{json.Number("1"), nil})
	b, err := marshalCompact(m)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"z":"<a&b>","a":[1,null]}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestDeepEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"int equals float of same value", json.Number("2"), json.Number("2.0"), true},
		{"exponent form", json.Number("100"), json.Number("1e2"), true},
		{"different numbers", json.Number("2"), json.Number("3"), false},
		{"number is not a string", json.Number("2"), "2", false},
		{"bool is not a number", true, json.Number("1"), false},
		{"null only equals null", nil, "", false},
		{"nulls", nil, nil, true},
		{"maps regardless of order", mapOf("a", "1", "b", "2"), mapOf("b", "2", "a", "1"), true},
		{"map with extra key", mapOf("a", "1"), mapOf("a", "1", "b", "2"), false},
		{"lists in order", []any{"a", "b"}, []any{"b", "a"}, false},
		{"empty map is not null", NewMap(), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deepEqual(tt.a, tt.b); got != tt.want {
				t.Errorf("deepEqual(%s, %s) = %v, want %v", show(tt.a), show(tt.b), got, tt.want)
			}
		})
	}
}

// mapOf builds a *Map from alternating keys and values.
func mapOf(kv ...any) *Map {
	m := NewMap()
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return m
}
