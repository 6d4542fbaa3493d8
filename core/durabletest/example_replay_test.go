package durabletest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// shipWithAudit is ship as a change would make it: an audit step inserted
// before the cool-down.
func shipWithAudit(ctx *durable.Context, o order) (string, error) {
	id, err := durable.Step(ctx, "validate", func(*durable.StepContext) (string, error) { return o.ID, nil })
	if err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "audit", func(*durable.StepContext) (bool, error) { return true, nil }); err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-down", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", func(*durable.StepContext) (string, error) { return "shipped " + id, nil })
}

// A history recorded with ship replays on ship and is rejected by the
// changed code before it is deployed.
func ExampleReplayHistory() {
	quiet := durable.WithLogger(logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	exec, err := durabletest.NewRunner(durable.Handler(ship, quiet)).Run(ctx, order{ID: "42"})
	if err != nil {
		panic(err)
	}
	history, err := json.Marshal(map[string]any{"Events": exec.History()})
	if err != nil {
		panic(err)
	}

	fmt.Println(durabletest.ReplayHistory(ctx, history, durable.Handler(ship, quiet)))
	err = durabletest.ReplayHistory(ctx, history, durable.Handler(shipWithAudit, quiet))
	var nd *durable.NonDeterministicError
	if errors.As(err, &nd) {
		fmt.Printf("position %d: recorded %s, called %s\n", nd.Position, nd.Recorded, nd.Called)
	}
	// Output:
	// <nil>
	// position 2: recorded WAIT/Wait "cool-down", called STEP/Step "audit"
}
