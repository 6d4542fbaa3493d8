package durabletest_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// waitingOrder records a history of several invocations.
func waitingOrder(t *testing.T) (*durable.Function, []durabletest.Event) {
	t.Helper()
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if _, err := durable.Step(ctx, "charge", func(*durable.StepContext) (string, error) { return "c", nil }); err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "cool-down", time.Hour); err != nil {
			return "", err
		}
		return durable.Step(ctx, "ship", func(*durable.StepContext) (string, error) { return "shipped", nil })
	}, quietLogs)
	e, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return fn, e.History()
}

// One page of a longer history (NextMarker set) is not a history:
// replaying it would check only its start, or report a divergence the
// code does not have. ReplayHistory says to fetch the rest.
func TestReplayHistoryRefusesOnePageOfSeveral(t *testing.T) {
	fn, events := waitingOrder(t)
	page, err := json.Marshal(map[string]any{"Events": events[:4], "NextMarker": "page-2"})
	if err != nil {
		t.Fatal(err)
	}
	err = durabletest.ReplayHistory(context.Background(), page, fn)
	if !errors.Is(err, durabletest.ErrInvalidHistory) || !strings.Contains(err.Error(), "NextMarker") {
		t.Errorf("ReplayHistory of a first page = %v, want ErrInvalidHistory naming NextMarker", err)
	}
}
