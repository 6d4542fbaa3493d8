package conformance

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestValueRules covers every rule of FORMAT §6.3. Each case matches the
// value under key v of an expected YAML mapping against the actual JSON
// object.
func TestValueRules(t *testing.T) {
	tests := []struct {
		name     string
		expected string // YAML mapping
		actual   string // JSON object
		bound    []string
		wantErr  string // substring; empty means a match
	}{
		// Rule 1: {} is don't-care, of any type, but the key must exist.
		{"empty mapping accepts a string", "v: {}", `{"v": "x"}`, nil, ""},
		{"empty mapping accepts null", "v: {}", `{"v": null}`, nil, ""},
		{"empty mapping accepts an object", "v: {}", `{"v": {"a": 1}}`, nil, ""},
		{"empty mapping needs the key", "v: {}", `{"w": 1}`, nil, "v: key missing"},
		// Rule 2: '*' is a wildcard, key required.
		{"wildcard accepts a number", "v: '*'", `{"v": 5}`, nil, ""},
		{"wildcard accepts null", "v: '*'", `{"v": null}`, nil, ""},
		{"wildcard needs the key", "v: '*'", `{}`, nil, `v: key missing (expected "*")`},
		// Rule 3: placeholders bind, then compare.
		{"placeholder binds", "v: ${ID1}", `{"v": "abc"}`, nil, ""},
		{"placeholder binds null", "v: ${ID1}", `{"v": null}`, nil, ""},
		{"placeholder consistent", "a: ${ID1}\nb: ${ID1}", `{"a": "x", "b": "x"}`, nil, ""},
		{"placeholder inconsistent", "a: ${ID1}\nb: ${ID1}", `{"a": "x", "b": "y"}`, nil, `b: placeholder ${ID1} is bound to "x", got "y"`},
		{"two names may share a value", "a: ${ID1}\nb: ${ID2}", `{"a": "x", "b": "x"}`, nil, ""},
		{"variable compares", "v: ${CB_NAME}", `{"v": "k3v9"}`, []string{"CB_NAME", "k3v9"}, ""},
		{"variable mismatch", "v: ${CB_NAME}", `{"v": "other"}`, []string{"CB_NAME", "k3v9"}, `placeholder ${CB_NAME} is bound to "k3v9", got "other"`},
		{"placeholder needs the key", "v: ${ID1}", `{}`, nil, "key missing"},
		{"placeholder typed: string is not number", "v: ${N}", `{"v": 5}`, []string{"N", "5"}, "placeholder ${N}"},
		// Rule 4: ${/PATTERN/} searches the string form.
		{"regex search", "v: ${/.*TransientError$/}", `{"v": "my.TransientError"}`, nil, ""},
		{"regex unanchored", "v: ${/wrapped/}", `{"v": "x wrapped y"}`, nil, ""},
		{"regex no match", "v: ${/^Transient/}", `{"v": "my.TransientError"}`, nil, `expected a match of /^Transient/, got "my.TransientError"`},
		{"regex on an integer", "v: ${/^[0-9]+$/}", `{"v": 17}`, nil, ""},
		{"regex on a float", "v: ${/^2\\.0$/}", `{"v": 2.0}`, nil, ""},
		{"invalid regex", "v: ${/(/}", `{"v": "x"}`, nil, "invalid regular expression"},
		// Rule 5: mappings are subsets.
		{"extra actual keys ignored", "v: {a: 1}", `{"v": {"a": 1, "b": 2}, "w": 3}`, nil, ""},
		{"nested missing key with path", "v: {a: {b: x}}", `{"v": {"a": {}}}`, nil, `v.a.b: key missing (expected "x")`},
		{"nested literal mismatch with path", "v: {a: {b: x}}", `{"v": {"a": {"b": "y"}}}`, nil, `v.a.b: expected "x", got "y"`},
		{"non-empty mapping against a string", "v: {a: 1}", `{"v": "a"}`, nil, `v: expected {"a":1}, got "a"`},
		{"non-empty mapping against null", "v: {a: 1}", `{"v": null}`, nil, "got null"},
		// Rule 6: lists pairwise.
		{"lists pairwise", "v: [a, '*', '${X}']", `{"v": ["a", 1, "z"]}`, nil, ""},
		{"list length differs", "v: [a]", `{"v": ["a", "b"]}`, nil, "expected a list of 1 elements, got 2"},
		{"list element path", "v: [a, b]", `{"v": ["a", "c"]}`, nil, `v[1]: expected "b", got "c"`},
		// Rule 7: literals.
		{"embedded substitution", `v: '"${CB_PAYLOAD}"'`, `{"v": "\"p1\""}`, []string{"CB_PAYLOAD", "p1"}, ""},
		{"embedded substitution mismatch", `v: '"${CB_PAYLOAD}"'`, `{"v": "p1"}`, []string{"CB_PAYLOAD", "p1"}, `expected "\"p1\"", got "p1"`},
		{"unbound reference kept literally", "v: Hello ${NOPE}", `{"v": "Hello ${NOPE}"}`, nil, ""},
		{"strings are case sensitive", "v: Hello", `{"v": "hello"}`, nil, `expected "Hello", got "hello"`},
		{"strings are not trimmed", "v: Hello", `{"v": "Hello "}`, nil, "expected"},
		{"integer equals float", "v: 2", `{"v": 2.0}`, nil, ""},
		{"float equals integer", "v: 5.0", `{"v": 5}`, nil, ""},
		{"number is not a numeric string", "v: 2", `{"v": "2"}`, nil, `expected 2, got "2"`},
		{"quoted number is not a number", "v: '2'", `{"v": 2}`, nil, `expected "2", got 2`},
		{"boolean is not a number", "v: true", `{"v": 1}`, nil, "expected true, got 1"},
		{"boolean is not a string", "v: true", `{"v": "true"}`, nil, "expected true"},
		{"booleans equal", "v: false", `{"v": false}`, nil, ""},
		{"null equals null", "v:", `{"v": null}`, nil, ""},
		{"null is not empty string", "v:", `{"v": ""}`, nil, `expected null, got ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := yamlValue(t, tt.expected).(*Map)
			act := jsonMap(t, tt.actual)
			res := valueMatcher{b: bindingsOf(tt.bound...)}.matchMap("", exp, act)
			checkErr(t, res, tt.wantErr)
		})
	}
}

func checkErr(t *testing.T, res *Mismatch, want string) {
	t.Helper()
	switch {
	case want == "" && res != nil:
		t.Errorf("unexpected mismatch: %v", res)
	case want != "" && res == nil:
		t.Errorf("matched, want a mismatch containing %q", want)
	case want != "" && !strings.Contains(res.Error(), want):
		t.Errorf("mismatch %q does not contain %q", res.Error(), want)
	}
}

func TestPlaceholderBindsActualValue(t *testing.T) {
	b := NewBindings()
	exp := yamlValue(t, "a: ${A}\nb: ${B}\nc: ${C}").(*Map)
	act := jsonMap(t, `{"a": "x", "b": 2, "c": {"k": [1]}}`)
	if res := (valueMatcher{b: b}).matchMap("", exp, act); res != nil {
		t.Fatal(res)
	}
	want := map[string]any{"A": "x", "B": json.Number("2"), "C": jsonVal(t, `{"k": [1]}`)}
	for name, w := range want {
		if got, ok := b.Lookup(name); !ok || !deepEqual(got, w) {
			t.Errorf("%s bound to %s, want %s", name, show(got), show(w))
		}
	}
}

const sampleHistory = `[
 {"EventId": 1, "EventType": "ExecutionStarted", "Id": "exec", "EventTimestamp": 1,
  "ExecutionStartedDetails": {"Input": {"Payload": "\"World\""}}},
 {"EventId": 2, "EventType": "StepStarted", "SubType": "Step", "Id": "s1", "Name": "greet",
  "EventTimestamp": 2, "StepStartedDetails": {}},
 {"EventId": 3, "EventType": "StepSucceeded", "SubType": "Step", "Id": "s1", "Name": "greet",
  "EventTimestamp": 3, "StepSucceededDetails": {"Result": {"Payload": "\"Hello, World!\""},
  "RetryDetails": {"CurrentAttempt": 1}}},
 {"EventType": "Noise"},
 {"EventId": 4, "EventType": "InvocationCompleted", "EventTimestamp": 4,
  "InvocationCompletedDetails": {"RequestId": "r1"}},
 {"EventId": 5, "EventType": "ExecutionSucceeded", "Id": "exec", "EventTimestamp": 5,
  "ExecutionSucceededDetails": {"Result": {"Payload": "\"Hello, World!\""}}}
]`

func TestMatchHistory(t *testing.T) {
	events, err := ParseHistory([]byte(sampleHistory))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, expected, wantErr string
	}{
		{"sparse subset matches", `
- {EventType: StepStarted, SubType: Step, EventId: 2, Id: '${ID1}', EventTimestamp: '*', StepStartedDetails: {}}
- {EventType: StepSucceeded, EventId: 3, Id: '${ID1}', StepSucceededDetails: {Result: {Payload: '"Hello, World!"'}}}
`, ""},
		{"events selected by EventId, not position", `
- {EventId: 4, EventType: InvocationCompleted}
- {EventId: 2, EventType: StepStarted}
`, ""},
		{"placeholder bound in one event checked in the next", `
- {EventId: 2, Id: '${ID1}'}
- {EventId: 5, Id: '${ID1}'}
`, `history EventId 5 (ExecutionSucceeded): Id: placeholder ${ID1} is bound to "s1", got "exec"`},
		{"missing event", `
- {EventId: 9, EventType: WaitSucceeded}
`, "history EventId 9: no such event (expected WaitSucceeded; the history ends at EventId 5)"},
		{"expected event without EventId", `
- {EventType: StepStarted}
`, "history entry #1: EventId null is not an integer"},
		{"EventId written as a string", `
- {EventId: '2', EventType: StepStarted}
`, `history entry #1: EventId "2" is not an integer`},
		{"wrong event type names field and both values", `
- {EventId: 3, EventType: StepFailed}
`, `history EventId 3 (StepSucceeded): EventType: expected "StepFailed", got "StepSucceeded"`},
		{"deep detail path", `
- {EventId: 3, StepSucceededDetails: {RetryDetails: {CurrentAttempt: 2}}}
`, "history EventId 3 (StepSucceeded): StepSucceededDetails.RetryDetails.CurrentAttempt: expected 2, got 1"},
		{"absent SubType on an event without one", `
- {EventId: 4, SubType: '*'}
`, `history EventId 4 (InvocationCompleted): SubType: key missing (expected "*")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := MatchHistory(yamlList(t, tt.expected), events, NewBindings())
			if got := errText(err); tt.wantErr == "" && got != "" || !strings.Contains(got, tt.wantErr) {
				t.Errorf("MatchHistory error %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestMatchHistoryBindsInWrittenOrder(t *testing.T) {
	events, _ := ParseHistory([]byte(sampleHistory))
	b := NewBindings()
	exp := yamlList(t, "- {EventId: 3, Name: '${NAME1}', Id: '${ID1}'}\n- {EventId: 2, Id: '${ID1}'}")
	if err := MatchHistory(exp, events, b); err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Lookup("NAME1"); v != "greet" {
		t.Errorf("NAME1 = %v, want greet", v)
	}
}

func TestTerminalAndInheritance(t *testing.T) {
	events, err := ParseHistory([]byte(`{"Events": [
 {"EventId": 2, "EventType": "ContextStarted", "SubType": "WaitForCallback", "Id": "w", "Name": "approve"},
 {"EventId": 3, "EventType": "CallbackStarted", "SubType": "Callback", "Id": "c", "ParentId": "w"},
 {"EventId": 4, "EventType": "StepStarted", "SubType": "Step", "Id": "s", "ParentId": "w", "Name": ""},
 {"EventId": 5, "EventType": "StepSucceeded", "SubType": "Step", "Id": "s", "ParentId": "w", "Name": "own"},
 {"EventId": 6, "EventType": "CallbackStarted", "SubType": "Callback", "Id": "d", "ParentId": "other"},
 {"EventId": 7, "EventType": "WaitStarted", "SubType": "Wait", "Id": "x", "ParentId": "w"}
]}`))
	if err != nil {
		t.Fatal(err)
	}
	inheritWaitForCallbackNames(events)
	wantNames := map[int]any{3: "approve", 4: "approve", 5: "own", 6: nil, 7: nil}
	for _, ev := range events {
		idv, _ := ev.Get("EventId")
		id, _ := intOf(idv)
		w, ok := wantNames[id]
		if !ok {
			continue
		}
		got, _ := ev.Get("Name")
		if got != w {
			t.Errorf("EventId %d Name = %v, want %v", id, got, w)
		}
	}
	if hasTerminalEvent(events) {
		t.Error("history without an Execution* end event reported terminal")
	}
	for _, typ := range []string{"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionStopped"} {
		if !hasTerminalEvent(append(events, mapOf("EventType", typ))) {
			t.Errorf("%s not seen as terminal", typ)
		}
	}
}
