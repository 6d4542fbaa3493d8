package durabletest_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/durable-go/durable-go/core/durabletest"
)

// A history fetched with ReverseOrder=true lists the same events newest
// first; their EventIds give the order back.
func TestReplayHistoryAcceptsAReversedHistory(t *testing.T) {
	fn, events := waitingOrder(t)
	slices.Reverse(events)
	history, err := json.Marshal(map[string]any{"Events": events})
	if err != nil {
		t.Fatal(err)
	}
	if err := durabletest.ReplayHistory(context.Background(), history, fn); err != nil {
		t.Errorf("ReplayHistory of the history newest first: %v", err)
	}
}
