package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

// Every adapter prints the same lines, once each across three
// invocations, with the enrichment and the caller's fields at top level.
func TestEveryAdapterPrintsTheWorkflowOnce(t *testing.T) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			fn := durable.Handler(orders.Process, durable.WithLogger(Loggers(&out)[name]))
			exec, err := local.Run(fn, orders.Order{ID: "o-1", Items: []string{"a", "b"}, Amount: 5})
			if err != nil || exec.Status() != "SUCCEEDED" {
				t.Fatalf("run: %v, status %s", err, exec.Status())
			}
			lines := map[string][]map[string]any{}
			sc := bufio.NewScanner(&out)
			for sc.Scan() {
				var rec map[string]any
				if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
					t.Fatalf("line is not JSON: %s", sc.Text())
				}
				msg, _ := rec["message"].(string)
				lines[msg] = append(lines[msg], rec)
			}
			for _, msg := range []string{"order received", "reserving stock", "stock reserved", "charging card", "order complete"} {
				if len(lines[msg]) != 1 {
					t.Errorf("%q printed %d times, want 1", msg, len(lines[msg]))
				}
			}
			rec := lines["order received"][0]
			for key, want := range map[string]any{"level": "INFO", "executionArn": exec.Arn(), "order_id": "o-1", "items": 2.0} {
				if rec[key] != want {
					t.Errorf("%s = %v, want %v (line %v)", key, rec[key], want, rec)
				}
			}
			if _, ok := rec["timestamp"]; !ok {
				t.Errorf("no timestamp in %v", rec)
			}
			step := lines["charging card"][0]
			if step["operationName"] != "charge-card" || step["attempt"] != 1.0 {
				t.Errorf("step line = %v, want operationName and attempt", step)
			}
		})
	}
}

func TestLambdaFunctionPicksTheLogger(t *testing.T) {
	for _, name := range append([]string{""}, Names...) {
		var buf bytes.Buffer
		fn, err := LambdaFunction(name, &buf)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		exec, err := local.Run(fn, orders.Order{ID: "1", Items: []string{"pen"}, Amount: 3})
		if err != nil || exec.Status() != "SUCCEEDED" || buf.Len() == 0 {
			t.Errorf("%q: %v, status %s, %d bytes logged", name, err, exec.Status(), buf.Len())
		}
	}
	if _, err := LambdaFunction("log4j", io.Discard); err == nil {
		t.Error("an unknown logger name is accepted")
	}
}
