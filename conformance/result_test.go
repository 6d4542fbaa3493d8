package conformance

import (
	"strings"
	"testing"
)

func TestCheckResult(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name     string
		expected string // YAML ExpectedResult mapping
		status   string
		result   *string
		wantErr  string
	}{
		{"status and string result", "{ExecutionStatus: SUCCEEDED, Result: 'Hello, World!'}", "SUCCEEDED", str(`"Hello, World!"`), ""},
		{"status mismatch stops", "{ExecutionStatus: SUCCEEDED, Result: x}", "FAILED", nil, "result: ExecutionStatus: expected SUCCEEDED, got FAILED"},
		{"failed execution has no result check", "{ExecutionStatus: FAILED, Result: x}", "FAILED", nil, ""},
		{"absent Result asserts nothing", "{ExecutionStatus: SUCCEEDED}", "SUCCEEDED", str(`{"any": 1}`), ""},
		{"explicit null Result needs null", "{ExecutionStatus: SUCCEEDED, Result: }", "SUCCEEDED", str(`"x"`), `result: Result: expected null, got "x"`},
		{"explicit null matches absent result", "{ExecutionStatus: SUCCEEDED, Result: }", "SUCCEEDED", nil, ""},
		{"explicit null matches JSON null", "{ExecutionStatus: SUCCEEDED, Result: }", "SUCCEEDED", str(`null`), ""},
		{"decoded once: quoted string", `{ExecutionStatus: SUCCEEDED, Result: '"HELLO"'}`, "SUCCEEDED", str(`"\"HELLO\""`), ""},
		{"decoded once: not twice", `{ExecutionStatus: SUCCEEDED, Result: HELLO}`, "SUCCEEDED", str(`"\"HELLO\""`), `expected "HELLO", got "\"HELLO\""`},
		{"non-JSON result compared raw", "{ExecutionStatus: SUCCEEDED, Result: 'wrapped:X'}", "SUCCEEDED", str(`wrapped:X`), ""},
		{"number by value", "{ExecutionStatus: SUCCEEDED, Result: 3}", "SUCCEEDED", str(`3.0`), ""},
		{"number is not a string", "{ExecutionStatus: SUCCEEDED, Result: 3}", "SUCCEEDED", str(`"3"`), `expected 3, got "3"`},
		{"list in order", "{ExecutionStatus: SUCCEEDED, Result: [r0, r1]}", "SUCCEEDED", str(`["r1","r0"]`), "expected"},
		{"mapping deep equality", "{ExecutionStatus: SUCCEEDED, Result: {status: FAILED, successCount: 2}}", "SUCCEEDED", str(`{"successCount":2,"status":"FAILED"}`), ""},
		{"mapping has no subset semantics", "{ExecutionStatus: SUCCEEDED, Result: {status: FAILED}}", "SUCCEEDED", str(`{"status":"FAILED","extra":1}`), "expected"},
		{"wildcard has no meaning", "{ExecutionStatus: SUCCEEDED, Result: '*'}", "SUCCEEDED", str(`"x"`), `expected "*", got "x"`},
		{"placeholder only substitutes", "{ExecutionStatus: SUCCEEDED, Result: '${UNBOUND}'}", "SUCCEEDED", str(`"x"`), `expected "${UNBOUND}"`},
		{"substitution", "{ExecutionStatus: SUCCEEDED, Result: 'Hello, ${INPUT_1}!'}", "SUCCEEDED", str(`"Hello, ab12!"`), ""},
		{"substitution inside containers", "{ExecutionStatus: SUCCEEDED, Result: ['${INPUT_1}']}", "SUCCEEDED", str(`["ab12"]`), ""},
		{"boolean is not a number", "{ExecutionStatus: SUCCEEDED, Result: true}", "SUCCEEDED", str(`1`), "expected true, got 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := yamlValue(t, "ExpectedResult: "+tt.expected).(*Map)
			r := &Requirement{}
			if err := r.fillResult(m); err != nil {
				t.Fatal(err)
			}
			err := CheckResult(r.ExpectedResult, tt.status, tt.result, bindingsOf("INPUT_1", "ab12"))
			got := errText(err)
			if tt.wantErr == "" && got != "" || !strings.Contains(got, tt.wantErr) {
				t.Errorf("CheckResult error %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestCheckResultWithoutExpectation(t *testing.T) {
	if err := CheckResult(nil, "RUNNING", nil, NewBindings()); err != nil {
		t.Errorf("no ExpectedResult must check nothing, got %v", err)
	}
}
