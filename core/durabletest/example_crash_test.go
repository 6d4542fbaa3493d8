package durabletest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/protocol"
)

// WithCrash kills the first invocation when it checkpoints the outcome of
// the "charge" step: its body has run, its result is lost, and the
// re-invocation runs the at-least-once step again.
func ExampleWithCrash() {
	quiet := durable.WithLogger(logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil)))
	charges := 0
	pay := func(ctx *durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "charge", func(*durable.StepContext) (string, error) {
			charges++
			return "charged", nil
		})
	}
	r := durabletest.NewRunner(durable.Handler(pay, quiet),
		durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool {
			return inv == 1 && u.Name == "charge" && u.Action != protocol.ActionStart
		}))
	exec, err := r.Run(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, inv := range exec.Invocations() {
		fmt.Printf("invocation %d crashed=%v\n", inv.Index, inv.Crashed())
	}
	fmt.Println(exec.Status(), *exec.Result(), "charges:", charges)
	// Output:
	// invocation 1 crashed=true
	// invocation 2 crashed=false
	// SUCCEEDED "charged" charges: 2
}

// Advance moves the virtual clock by a chosen amount: a test can look at
// an execution in the middle of a wait, then let the wait end.
func ExampleExecution_Advance() {
	quiet := durable.WithLogger(logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil)))
	remind := func(ctx *durable.Context, _ any) (string, error) {
		if err := durable.Wait(ctx, "a-day", 24*time.Hour); err != nil {
			return "", err
		}
		return "reminded", nil
	}
	ctx := context.Background()
	exec, err := durabletest.NewRunner(durable.Handler(remind, quiet)).Start(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range []time.Duration{23 * time.Hour, time.Hour} {
		if err := exec.Advance(ctx, d); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(exec.Clock().Sub(durabletest.DefaultStartTime), exec.Status())
	}
	// Output:
	// 23h0m0s RUNNING
	// 24h0m0s SUCCEEDED
}
