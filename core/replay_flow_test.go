package durable_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// Random workflows (every kind of operation, with retries across
// invocations, callbacks and batches) replay their own recorded history
// without running anything, and a changed workflow is caught.
func TestReplayHistoryOfRandomWorkflows(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 20; seed++ {
		prog := genFlow(seed)
		exec, err := durabletest.NewRunner(flowHandler(prog, &flowRuns{})).Start(ctx, nil)
		if err == nil {
			err = driveFlow(ctx, exec)
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		history, err := json.Marshal(map[string]any{"Events": exec.History()})
		if err != nil {
			t.Fatal(err)
		}
		runs := &flowRuns{}
		if err := durabletest.ReplayHistory(ctx, history, flowHandler(prog, runs)); err != nil {
			t.Errorf("seed %d: the unchanged workflow does not replay: %v", seed, err)
		}
		if len(runs.runs) != 0 {
			t.Errorf("seed %d: replaying ran step bodies: %v", seed, runs.runs)
		}
		changed := durable.Handler(func(c *durable.Context, _ any) (string, error) {
			return runFlow(c, prog, "renamed", 0, &flowRuns{})
		})
		err = durabletest.ReplayHistory(ctx, history, changed)
		var nd *durable.NonDeterministicError
		if !errors.As(err, &nd) {
			t.Errorf("seed %d: a workflow with renamed operations replays: %v", seed, err)
		}
	}
}
