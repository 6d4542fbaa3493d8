package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// The README's replay demo: a history recorded with the order workflow
// replays on the same code and is rejected by the changed one.
func TestReplayCatchesTheChangedWorkflow(t *testing.T) {
	history := filepath.Join(t.TempDir(), "order-42.json")
	var out, errs bytes.Buffer
	if code := run([]string{"-workflow", "order", "-record", history}, &out, &errs); code != 0 {
		t.Fatalf("record: exit %d: %s", code, errs.String())
	}
	if code := run([]string{"-workflow", "order", history}, &out, &errs); code != 0 || !strings.Contains(out.String(), "replays") {
		t.Fatalf("unchanged workflow: exit %d: %s%s", code, out.String(), errs.String())
	}
	out.Reset()
	code := run([]string{"-workflow", "order-fraud-check", history}, &out, &errs)
	if code != 1 {
		t.Fatalf("changed workflow: exit %d, want 1: %s%s", code, out.String(), errs.String())
	}
	for _, want := range []string{"non-deterministic", `recorded STEP/Step "charge-card"`, `called STEP/Step "fraud-check"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q does not mention %q", out.String(), want)
		}
	}
	t.Log(out.String())
}
