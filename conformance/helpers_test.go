package conformance

import (
	"testing"
)

// yamlValue parses a YAML snippet the way requirement files are parsed.
func yamlValue(t *testing.T, text string) any {
	t.Helper()
	v, err := parseYAML([]byte(text))
	if err != nil {
		t.Fatalf("parse YAML %q: %v", text, err)
	}
	return v
}

// jsonValue parses a JSON snippet the way histories and logs are parsed.
func jsonVal(t *testing.T, text string) any {
	t.Helper()
	v, err := ParseJSON([]byte(text))
	if err != nil {
		t.Fatalf("parse JSON %q: %v", text, err)
	}
	return v
}

func jsonMap(t *testing.T, text string) *Map {
	t.Helper()
	m, ok := jsonVal(t, text).(*Map)
	if !ok {
		t.Fatalf("%s is not a JSON object", text)
	}
	return m
}

func yamlList(t *testing.T, text string) []any {
	t.Helper()
	l, ok := yamlValue(t, text).([]any)
	if !ok {
		t.Fatalf("%q is not a YAML list", text)
	}
	return l
}

func bindingsOf(kv ...string) *Bindings {
	b := NewBindings()
	for i := 0; i+1 < len(kv); i += 2 {
		b.Bind(kv[i], kv[i+1])
	}
	return b
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return describe(err)
}
