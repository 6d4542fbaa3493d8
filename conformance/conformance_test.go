package conformance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/conformance/handlers"
)

// TestConformance runs every requirement of the vendored set (or of
// $DURABLE_CONFORMANCE_DIR) against the Go handlers and fails if one that
// is not optional fails. NOT_IMPLEMENTED requirements do not fail it.
func TestConformance(t *testing.T) {
	outcomes, err := conformance.Run(context.Background(), conformance.Dir(), handlers.Registry())
	if err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	conformance.Report(&report, outcomes)
	t.Log("\n" + report.String())
	for _, o := range outcomes {
		if o.Blocking() {
			t.Errorf("%s %s: %s", o.ID, o.Description, o.Detail)
		}
	}
}
