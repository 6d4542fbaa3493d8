package durabletest_test

import (
	"context"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// Logs and EmittedLogs return copies down to the fields of groups: a test
// that edits a grouped field of one record does not change what the next
// call returns.
func TestLogRecordsAreCopiedDownToGroups(t *testing.T) {
	r := durabletest.NewRunner(durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		ctx.Logger().WithGroup("order").WithGroup("line").Info("priced", "sku", "a-1")
		return "", nil
	}, quietLogs))
	e, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	line := func(recs []durabletest.LogRecord) map[string]any {
		t.Helper()
		if len(recs) != 1 {
			t.Fatalf("%d records, want 1", len(recs))
		}
		order, _ := recs[0].Fields["order"].(map[string]any)
		l, _ := order["line"].(map[string]any)
		if l == nil {
			t.Fatalf("no order.line group in %v", recs[0].Fields)
		}
		return l
	}
	line(e.Logs())["sku"] = "changed"
	line(e.EmittedLogs())["sku"] = "changed"
	if got := line(e.Logs())["sku"]; got != "a-1" {
		t.Errorf("order.line.sku = %v after editing an earlier copy, want a-1", got)
	}
}
