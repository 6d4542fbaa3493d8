package main

import (
	"log/slog"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/examples/internal/local"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

func TestOrderWorkflowLogsEachLineOnceAcrossInvocations(t *testing.T) {
	exec, err := local.Run(durable.Handler(orders.Process), orders.Order{ID: "7", Items: []string{"a"}, Amount: 10})
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status() != "SUCCEEDED" {
		t.Fatalf("status %s: %+v", exec.Status(), exec.Error())
	}
	if n := len(exec.Invocations()); n != 3 {
		t.Fatalf("%d invocations, want 3 (two waits)", n)
	}
	emitted := map[string][]durabletest.LogRecord{}
	for _, r := range exec.EmittedLogs() {
		emitted[r.Message] = append(emitted[r.Message], r)
	}
	for _, msg := range []string{"order received", "reserving stock", "stock reserved", "charging card", "order complete"} {
		if got := len(emitted[msg]); got != 1 {
			t.Errorf("%q printed %d times across 3 invocations, want exactly 1", msg, got)
		}
	}
	first := emitted["order received"][0]
	if first.Fields["order_id"] != "7" || first.Fields["items"] != 1 || first.Fields["executionArn"] != exec.Arn() {
		t.Errorf("order received fields = %v, want order_id, items and executionArn", first.Fields)
	}
	charge := emitted["charging card"][0]
	if charge.Fields["operationName"] != "charge-card" || charge.Fields["attempt"] != 1 || charge.Fields["operationId"] == nil {
		t.Errorf("step line fields = %v, want operationName, operationId and attempt", charge.Fields)
	}
	if first.Level != slog.LevelInfo {
		t.Errorf("level = %v, want INFO", first.Level)
	}
}
