package conformance

import "fmt"

// executionSucceeded is the execution status whose result is compared.
const executionSucceeded = "SUCCEEDED"

// CheckResult checks the execution's final status and result (FORMAT §7).
// result is the execution's raw Result text, nil when it has none. The
// expected result gets embedded substitution from b and is then compared
// for deep equality with the result decoded once; wildcards, placeholders
// and regexes have no special meaning here.
func CheckResult(exp *ExpectedResult, status string, result *string, b *Bindings) error {
	if exp == nil {
		return nil
	}
	if exp.ExecutionStatus != "" && status != exp.ExecutionStatus {
		return &Mismatch{Stage: "result", Path: "ExecutionStatus", Msg: fmt.Sprintf("expected %s, got %s", exp.ExecutionStatus, status)}
	}
	if status != executionSucceeded || !exp.HasResult {
		return nil
	}
	actual := decodeResult(result)
	want := b.substituteDeep(exp.Result)
	if !deepEqual(want, actual) {
		return &Mismatch{Stage: "result", Path: "Result", Msg: fmt.Sprintf("expected %s, got %s", show(want), show(actual))}
	}
	return nil
}

// decodeResult decodes the raw result once: absent is null, text that is
// not JSON stays a string.
func decodeResult(result *string) any {
	if result == nil {
		return nil
	}
	v, err := ParseJSON([]byte(*result))
	if err != nil {
		return *result
	}
	return v
}
