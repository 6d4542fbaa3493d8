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
)

type order struct {
	ID string `json:"id"`
}

// ship validates an order, waits an hour, then ships it.
func ship(ctx *durable.Context, o order) (string, error) {
	id, err := durable.Step(ctx, "validate", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("validating order")
		return o.ID, nil
	})
	if err != nil {
		return "", err
	}
	ctx.Logger().Info("cooling down")
	if err := durable.Wait(ctx, "cool-down", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", func(sc *durable.StepContext) (string, error) {
		return "shipped " + id, nil
	})
}

// The runner drives the handler through Lambda's code path; the hour-long
// wait passes on the virtual clock.
func Example() {
	quiet := logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil))
	r := durabletest.NewRunner(durable.Handler(ship, durable.WithLogger(quiet)))

	exec, err := r.Run(context.Background(), order{ID: "42"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exec.Status(), *exec.Result(), "after", exec.Clock().Sub(durabletest.DefaultStartTime))
	for _, ev := range exec.History() {
		line := fmt.Sprintf("%d %s", ev.EventID, ev.EventType)
		if ev.Name != "" {
			line += " " + ev.Name
		}
		fmt.Println(line)
	}
	for _, l := range exec.Logs() {
		fmt.Printf("invocation %d: %q emitted=%v\n", l.Invocation, l.Message, l.Emitted)
	}
	// Output:
	// SUCCEEDED "shipped 42" after 1h0m0s
	// 1 ExecutionStarted
	// 2 StepStarted validate
	// 3 StepSucceeded validate
	// 4 WaitStarted cool-down
	// 5 InvocationCompleted
	// 6 WaitSucceeded cool-down
	// 7 StepStarted ship
	// 8 StepSucceeded ship
	// 9 InvocationCompleted
	// 10 ExecutionSucceeded
	// invocation 1: "validating order" emitted=true
	// invocation 1: "cooling down" emitted=true
	// invocation 2: "cooling down" emitted=false
}

// Callbacks are completed from the test, as an external system would.
func ExampleExecution_SendCallbackSuccess() {
	approve := func(ctx *durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		return cb.Result()
	}
	ctx := context.Background()
	r := durabletest.NewRunner(durable.Handler(approve))
	exec, err := r.Start(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exec.Status())

	id := exec.Callbacks()[0].CallbackDetails.CallbackID
	if err := exec.SendCallbackSuccess(ctx, id, []byte("approved")); err != nil {
		fmt.Println(err)
		return
	}
	if err := exec.RunToCompletion(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exec.Status(), *exec.Result())
	// Output:
	// RUNNING
	// SUCCEEDED "approved"
}
