package main

import (
	"context"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

// BenchmarkOrder runs the order workflow (two steps, two waits, three
// invocations) on the local runner and reports the checkpoint calls and
// the wall time modeled at 20 ms per service call (calls add up: each
// needs the previous call's token) plus the run's own wall time.
func BenchmarkOrder(b *testing.B) {
	fn := durable.Handler(orders.Process, durable.WithLogger(discard{}))
	in := orders.Order{ID: "42", Items: []string{"book", "lamp"}, Amount: 59.90}
	b.ReportAllocs()
	var stats durabletest.Stats
	for b.Loop() {
		exec, err := durabletest.NewRunner(fn).Run(context.Background(), in)
		if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
			b.Fatalf("run: %v %s", err, exec.Status())
		}
		stats = exec.Stats()
	}
	calls := stats.CheckpointCalls + stats.StateCalls
	b.ReportMetric(float64(stats.CheckpointCalls), "checkpoints")
	b.ReportMetric(float64(calls)*20+float64(b.Elapsed().Microseconds())/1000/float64(b.N), "modeled-ms")
}

// discard is a logger that prints nothing.
type discard struct{}

func (discard) Debug(string, ...any)            {}
func (discard) Info(string, ...any)             {}
func (discard) Warning(string, ...any)          {}
func (discard) Error(string, ...any)            {}
func (discard) Exception(string, error, ...any) {}
