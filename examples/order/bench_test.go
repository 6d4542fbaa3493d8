package main

import (
	"context"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

// BenchmarkOrder runs the order workflow (two steps, two waits, three
// invocations) on the local runner and reports the checkpoint calls and
// the wall time modeled at 20 ms per service call
// (durabletest.WithServiceLatency: the calls of an execution add up, each
// needs the previous call's token) plus the run's own wall time.
func BenchmarkOrder(b *testing.B) {
	fn := durable.Handler(orders.Process, durable.WithLogger(discard{}))
	in := orders.Order{ID: "42", Items: []string{"book", "lamp"}, Amount: 59.90}
	b.ReportAllocs()
	var stats durabletest.Stats
	var waited time.Duration
	for b.Loop() {
		exec, err := durabletest.NewRunner(fn, durabletest.WithServiceLatency(20*time.Millisecond)).Run(context.Background(), in)
		if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
			b.Fatalf("run: %v %s", err, exec.Status())
		}
		stats = exec.Stats()
		waited = 0
		for _, inv := range exec.Invocations() {
			waited += inv.End.Sub(inv.Start)
		}
	}
	b.ReportMetric(float64(stats.CheckpointCalls), "checkpoints")
	b.ReportMetric(float64(waited.Microseconds())/1000+float64(b.Elapsed().Microseconds())/1000/float64(b.N), "modeled-ms")
}

// discard is a logger that prints nothing.
type discard struct{}

func (discard) Debug(string, ...any)            {}
func (discard) Info(string, ...any)             {}
func (discard) Warning(string, ...any)          {}
func (discard) Error(string, ...any)            {}
func (discard) Exception(string, error, ...any) {}
