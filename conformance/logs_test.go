package conformance

import (
	"strings"
	"testing"
)

// sampleRecords are log records in order; the third and fourth share an
// ordering key.
func sampleRecords(t *testing.T) []LogRecord {
	lines := []string{
		`{"plugin": "P", "hook": "invocation-start", "first": true, "n": 2}`,
		`{"message": "  Greeting step running for: abc  ", "level": "INFO", "op": "s1", "attempt": 1}`,
		`{"plugin": "P", "hook": "operation-start", "id": "s1", "first": "true"}`,
		`{"plugin": "P", "hook": "operation-end", "id": "s1", "count": 12, "f": 2.0, "none": null}`,
		`{"plugin": "P", "hook": "invocation-end", "status": "SUCCEEDED", "terminal": false}`,
	}
	orders := []int64{0, 1, 2, 2, 3}
	out := make([]LogRecord, len(lines))
	for i, l := range lines {
		out[i] = LogRecord{Fields: jsonMap(t, l), Order: orders[i]}
	}
	return out
}

func TestCheckLogs(t *testing.T) {
	tests := []struct {
		name, entry, wantErr string
	}{
		{"count exact", "{match: {plugin: P, hook: invocation-start}, count: 1}", ""},
		{"count wrong", "{match: {plugin: P}, count: 3}", "expected exactly 3 matching records, found 4 of 5 records"},
		{"count zero asserts absence", "{match: {plugin: P, hook: replay}, count: 0}", ""},
		{"count zero fails when present", "{match: {hook: invocation-end}, count: 0}", "expected exactly 0"},
		{"field idiom: no record has it", "{match: {error: '/.*/'}, count: 0}", ""},
		{"default at least one", "{match: {hook: operation-end}}", ""},
		{"default at least one fails", "{match: {hook: nope}}", "expected at least one matching record, found 0 of 5 records"},
		{"min_count", "{match: {plugin: P}, min_count: 4}", ""},
		{"min_count fails", "{match: {plugin: P}, min_count: 5}", "expected at least 5"},
		{"max_count", "{match: {plugin: P}, max_count: 4}", ""},
		{"max_count fails", "{match: {plugin: P}, max_count: 3}", "expected at most 3"},
		{"max_count zero allows none", "{match: {hook: nope}, max_count: 0}", ""},
		{"regex on a trimmed message", "{match: {message: '/^Greeting step running for: ${INPUT_1}$/'}, count: 1}", ""},
		{"exact string after trimming both", "{match: {message: ' Greeting step running for: abc '}, count: 1}", ""},
		{"regex case-insensitive flag", "{match: {hook: '/(?i)INVOCATION-START/'}, count: 1}", ""},
		{"regex on an integer field", "{match: {count: '/^\\d+$/'}, count: 1}", ""},
		{"string form of an integer", "{match: {attempt: '1'}, count: 1}", ""},
		{"string form of null", "{match: {none: None}, count: 1}", ""},
		{"boolean matches boolean", "{match: {first: true}, count: 1}", ""},
		{"boolean does not match a string", "{match: {hook: operation-start, first: true}, count: 0}", ""},
		{"boolean false", "{match: {terminal: false}, count: 1}", ""},
		{"string True matches a boolean's string form", "{match: {first: 'True'}, count: 1}", ""},
		{"string true is not a boolean's string form", "{match: {first: 'true', hook: invocation-start}, count: 0}", ""},
		{"number by value", "{match: {n: 2.0}, count: 1}", ""},
		{"float field against integer", "{match: {f: 2}, count: 1}", ""},
		{"missing field does not match", "{match: {plugin: P, status: SUCCEEDED}, count: 1}", ""},
		{"substitution of a bound id", "{match: {id: '${ID1}', hook: operation-end}, count: 1}", ""},
		{"after holds", "{match: {hook: invocation-end}, after: [{hook: invocation-start}, {op: s1}]}", ""},
		{"after with a single mapping", "{match: {hook: invocation-end}, after: {hook: invocation-start}}", ""},
		{"after violated", "{match: {hook: invocation-start}, after: [{hook: invocation-end}]}",
			`matching record #1 {"plugin":"P","hook":"invocation-start","first":true,"n":2} comes before record #5`},
		{"after uses earliest own and latest anchor", "{match: {plugin: P}, after: [{hook: invocation-start}]}", ""},
		{"ties satisfy after", "{match: {hook: operation-start}, after: [{hook: operation-end}]}", ""},
		{"ties satisfy before", "{match: {hook: operation-end}, before: [{hook: operation-start}]}", ""},
		{"before holds", "{match: {hook: invocation-start}, before: [{hook: invocation-end}]}", ""},
		{"before violated", "{match: {hook: invocation-end}, before: [{op: s1}]}", "comes after record #2"},
		{"anchor matching nothing fails", "{match: {hook: invocation-end}, after: [{hook: typo}]}", `after anchor {"hook":"typo"} matched no record`},
		{"no own match skips ordering", "{match: {hook: nope}, count: 0, after: [{hook: typo}]}", ""},
		{"missing match is invalid", "{count: 1}", "ExpectedLogs[0]: invalid entry: match must be a non-empty mapping"},
		{"empty match is invalid", "{match: {}, count: 0}", "invalid entry"},
		{"bad count is invalid", "{match: {plugin: P}, count: many}", "invalid entry: count \"many\""},
		{"bad regex is invalid", "{match: {hook: '/(/'}}", "invalid regular expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := []any{yamlValue(t, tt.entry)}
			err := CheckLogs(entries, sampleRecords(t), bindingsOf("INPUT_1", "abc", "ID1", "s1"))
			got := errText(err)
			if tt.wantErr == "" && got != "" || !strings.Contains(got, tt.wantErr) {
				t.Errorf("CheckLogs error %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestCheckLogsReportsEveryFailingEntry(t *testing.T) {
	entries := yamlList(t, "- {match: {hook: a}}\n- {match: {plugin: P}, count: 4}\n- {match: {hook: b}}")
	got := errText(CheckLogs(entries, sampleRecords(t), NewBindings()))
	for _, want := range []string{`ExpectedLogs[0] {"hook":"a"}`, `ExpectedLogs[2] {"hook":"b"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("error %q does not mention %q", got, want)
		}
	}
	if strings.Contains(got, "ExpectedLogs[1]") {
		t.Errorf("error %q mentions the passing entry", got)
	}
}
