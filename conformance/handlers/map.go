package handlers

import (
	"fmt"
	"strings"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
)

// mapEntries returns the handlers of the map suite (requirement ids 9-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func mapEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"9-1":  handlerEntry(mapBasic),
		"9-2":  handlerEntry(mapItemsOnly),
		"9-4":  handlerEntry(mapEmpty),
		"9-5":  handlerEntry(mapFailFast),
		"9-6":  handlerEntry(mapErr),
		"9-7":  handlerEntry(mapMinSuccessful),
		"9-9":  handlerEntry(mapToleratedCount),
		"9-10": handlerEntry(mapToleratedPercentage),
		"9-11": handlerEntry(mapConcurrent),
		"9-12": handlerEntry(mapFlat),
		"9-14": handlerEntry(mapItemSerdes),
		"9-15": handlerEntry(mapSuspendInItem),
		"9-16": handlerEntry(mapLargeResult),
		"9-17": handlerEntry(mapThenWait),
		"9-19": handlerEntry(mapBatchSerdes),
		"9-20": handlerEntry(mapBatchSerdesThenWait),
	}
}

// mapSequential runs one item at a time, in index order, so histories are
// deterministic.
var mapSequential = durable.WithMaxConcurrency(1)

// mapResults returns the results of the succeeded items in index order,
// as an empty (not nil) list when there are none.
func mapResults[T any](r *durable.BatchResult[T]) []T {
	out := r.Results()
	if out == nil {
		out = []T{}
	}
	return out
}

// mapSummary is the projection of a BatchResult the completion
// requirements return.
type mapSummary struct {
	CompletionReason durable.CompletionReason `json:"completionReason"`
	Status           durable.BatchItemStatus  `json:"status,omitempty"`
	SuccessCount     int                      `json:"successCount"`
	FailureCount     *int                     `json:"failureCount,omitempty"`
	TotalCount       int                      `json:"totalCount"`
}

// mapSummarize projects r; withStatus and withFailures choose the optional
// fields each requirement expects.
func mapSummarize[T any](r *durable.BatchResult[T], withStatus, withFailures bool) mapSummary {
	s := mapSummary{
		CompletionReason: r.CompletionReason,
		SuccessCount:     r.SuccessCount(),
		TotalCount:       r.TotalCount(),
	}
	if withStatus {
		s.Status = r.Status()
	}
	if withFailures {
		n := r.FailureCount()
		s.FailureCount = &n
	}
	return s
}

// greet: each item's step returns "Hello, <item>!" (9-1).
func mapBasic(ctx *durable.Context, items []string) ([]string, error) {
	r, err := durable.Map(ctx, "map", items, func(c *durable.Context, item string, _ int, _ []string) (string, error) {
		return echoStep(c, "greet", "Hello, "+item+"!")
	}, mapSequential)
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapItemsOnly: an unnamed map doubles each number directly (9-2).
func mapItemsOnly(ctx *durable.Context, items []int) ([]int, error) {
	r, err := durable.Map(ctx, "", items, func(_ *durable.Context, item int, _ int, _ []int) (int, error) {
		return item * 2, nil
	}, mapSequential)
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapEmpty: a map over no items completes at once (9-4).
func mapEmpty(ctx *durable.Context, items []string) ([]string, error) {
	r, err := durable.Map(ctx, "empty", items, func(_ *durable.Context, item string, _ int, _ []string) (string, error) {
		return item, nil
	})
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapFailOn returns a map function that fails for the items in failing and
// returns ok for the others.
func mapFailOn(ok string, failing ...int) func(*durable.Context, string, int, []string) (string, error) {
	return func(_ *durable.Context, item string, index int, _ []string) (string, error) {
		for _, f := range failing {
			if f == index {
				return "", fmt.Errorf("item %s failed", item)
			}
		}
		return ok, nil
	}
}

// mapFailFast: item 1 fails and item 2 never starts (9-5).
func mapFailFast(ctx *durable.Context, _ any) (mapSummary, error) {
	r, err := durable.Map(ctx, "failfast", []string{"i0", "i1", "i2"}, mapFailOn("ok", 1), mapSequential,
		durable.WithToleratedFailures(0))
	if err != nil {
		return mapSummary{}, err
	}
	return mapSummarize(r, true, true), nil
}

// mapErr: item 0 fails and BatchResult.Err fails the execution
// (9-6).
func mapErr(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "throwing", []string{"i0", "i1"}, mapFailOn("ok", 0), mapSequential,
		durable.WithToleratedFailures(0))
	if err != nil {
		return nil, err
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapMinSuccessful: two successes complete the map early (9-7).
func mapMinSuccessful(ctx *durable.Context, _ any) (mapSummary, error) {
	r, err := durable.Map(ctx, "min-successful", []string{"i0", "i1", "i2", "i3"}, mapFailOn("done"), mapSequential,
		durable.WithMinSuccessful(2))
	if err != nil {
		return mapSummary{}, err
	}
	return mapSummarize(r, false, false), nil
}

// mapToleratedCount: the second failure exceeds a tolerance of one (9-9).
func mapToleratedCount(ctx *durable.Context, _ any) (mapSummary, error) {
	r, err := durable.Map(ctx, "tolerated-exceeded", []string{"i0", "i1", "i2"}, mapFailOn("ok", 0, 1, 2), mapSequential,
		durable.WithToleratedFailures(1))
	if err != nil {
		return mapSummary{}, err
	}
	return mapSummarize(r, false, true), nil
}

// mapToleratedPercentage: two failures of four exceed 25% (9-10).
func mapToleratedPercentage(ctx *durable.Context, _ any) (mapSummary, error) {
	r, err := durable.Map(ctx, "tolerated-pct", []string{"i0", "i1", "i2", "i3"}, mapFailOn("ok", 0, 1, 2, 3), mapSequential,
		durable.WithToleratedFailurePercentage(25))
	if err != nil {
		return mapSummary{}, err
	}
	return mapSummarize(r, false, true), nil
}

// mapConcurrent: two items at a time; results stay in index order (9-11).
func mapConcurrent(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "concurrent", []string{"i0", "i1", "i2"}, func(_ *durable.Context, _ string, index int, _ []string) (string, error) {
		return fmt.Sprintf("r%d", index), nil
	}, durable.WithMaxConcurrency(2))
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapFlat: items run as virtual contexts; their steps hang off the map
// (9-12).
func mapFlat(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "flat", []string{"fa", "fb"}, func(c *durable.Context, item string, _ int, _ []string) (string, error) {
		return echoStep(c, "item", item)
	}, mapSequential, durable.WithFlatNesting())
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapUpper returns the item mapUpper-cased.
func mapUpper(_ *durable.Context, item string, _ int, _ []string) (string, error) {
	return strings.ToUpper(item), nil
}

// mapItemSerdes: each item's result is checkpointed as "wrapped:<value>"
// (9-14).
func mapItemSerdes(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "serdes", []string{"x", "y"}, mapUpper, mapSequential, durable.WithItemSerdes(mapWrappedSerdes))
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapSuspendInItem: item 1 waits, suspending the execution mid-map (9-15).
func mapSuspendInItem(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "suspend", []string{"r0", "r1"}, func(c *durable.Context, item string, index int, _ []string) (string, error) {
		if index == 1 {
			if err := durable.Wait(c, "", time.Second); err != nil {
				return "", err
			}
		}
		return echoStep(c, "item", item)
	}, mapSequential)
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapLargeItemBytes makes four item results exceed the 256 KiB checkpoint
// limit together while each stays well under it.
const mapLargeItemBytes = 70 * 1024

// mapLargeResult: the batch result is too large to checkpoint inline
// (9-16).
func mapLargeResult(ctx *durable.Context, _ any) (map[string]int, error) {
	r, err := durable.Map(ctx, "large", []int{0, 1, 2, 3}, func(_ *durable.Context, item int, _ int, _ []int) (string, error) {
		return strings.Repeat(fmt.Sprint(item), mapLargeItemBytes), nil
	}, mapSequential)
	if err != nil {
		return nil, err
	}
	return map[string]int{"successCount": r.SuccessCount(), "totalCount": r.TotalCount()}, nil
}

// mapThenWait: a wait after a completed map suspends; replay skips the map
// (9-17).
func mapThenWait(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "then-wait", []string{"a", "b"}, mapUpper, mapSequential)
	if err != nil {
		return nil, err
	}
	if err := durable.Wait(ctx, "", time.Second); err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapBatchSerdes: the whole batch result is checkpointed as
// "OPSERDE:X,Y" (9-19).
func mapBatchSerdes(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "op-serde", []string{"x", "y"}, mapUpper, mapSequential, durable.WithSerdes(mapOpSerdes))
	if err != nil {
		return nil, err
	}
	return mapResults(r), nil
}

// mapBatchSerdesThenWait: as 9-19, then a wait forces a replay that reads
// the batch result back through the serdes (9-20).
func mapBatchSerdesThenWait(ctx *durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "op-serde-replay", []string{"x", "y"}, mapUpper, mapSequential, durable.WithSerdes(mapOpSerdes))
	if err != nil {
		return nil, err
	}
	if err := durable.Wait(ctx, "", time.Second); err != nil {
		return nil, err
	}
	return mapResults(r), nil
}
