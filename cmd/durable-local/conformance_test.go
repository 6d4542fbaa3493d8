package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestConformanceThroughDurableLocal runs the vendored conformance
// requirements with every handler as a real function binary talking to
// durable-local's REST API.
func TestConformanceThroughDurableLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the conformance function binary")
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"conformance", "-source", "../../conformance"}, &stdout, &stderr)
	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stderr.String(), out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	summary := lines[len(lines)-1]
	if !strings.Contains(summary, " 0 failed, 1 not implemented,") || !strings.Contains(out, "NOT_IMPLEMENTED 1-17 ") {
		t.Errorf("summary %q: want everything to pass but 1-17, which needs the in-process crash simulation", summary)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "FAILED") {
			t.Errorf("%s", l)
		}
	}
}
