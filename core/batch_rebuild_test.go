package durable_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// A batch whose result was too large to checkpoint is rebuilt on replay
// from its items (protocol §8.6). An item still unfinished when the batch
// completed is over: the rebuild lists it as started, as the original
// result did, and never runs its code again, even once what it waited
// for is due.
func TestBatchRebuildLeavesUnfinishedItemsAlone(t *testing.T) {
	big := strings.Repeat("x", 300*1024)
	// item is the batch's work. Both items wait in the first invocation,
	// so each wait is on record before the batch can complete. Item 0
	// then returns, in the second, a result that makes the batch's too
	// large to store; the batch completes on its success. Item 1 waits an
	// hour, then runs a step, long after its batch completed.
	item := func(c *durable.Context, i int, lateRuns *atomic.Int32) (string, error) {
		if i == 0 {
			if err := durable.Wait(c, "short", time.Second); err != nil {
				return "", err
			}
			return big, nil
		}
		if err := durable.Wait(c, "slow", time.Hour); err != nil {
			return "", err
		}
		return durable.Step(c, "late", func(*durable.StepContext) (string, error) {
			lateRuns.Add(1)
			return "late", nil
		})
	}
	batches := map[string]func(*durable.Context, *atomic.Int32) (*durable.BatchResult[string], error){
		"map": func(ctx *durable.Context, lateRuns *atomic.Int32) (*durable.BatchResult[string], error) {
			return durable.Map(ctx, "m", []int{0, 1}, func(c *durable.Context, it, _ int, _ []int) (string, error) {
				return item(c, it, lateRuns)
			}, durable.WithMinSuccessful(1))
		},
		"parallel": func(ctx *durable.Context, lateRuns *atomic.Int32) (*durable.BatchResult[string], error) {
			return durable.Parallel(ctx, "p", []durable.Branch[string]{
				{Func: func(c *durable.Context) (string, error) { return item(c, 0, lateRuns) }},
				{Func: func(c *durable.Context) (string, error) { return item(c, 1, lateRuns) }},
			}, durable.WithMinSuccessful(1))
		},
	}
	for name, batch := range batches {
		t.Run(name, func(t *testing.T) {
			var lateRuns atomic.Int32
			var statuses []string
			h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
				r, err := batch(ctx, &lateRuns)
				if err != nil {
					return 0, err
				}
				statuses = statuses[:0]
				for _, it := range r.All {
					statuses = append(statuses, string(it.Status))
				}
				// The item's hour passes in this wait: the service
				// invokes the function again when its timer is due.
				if err := durable.Wait(ctx, "after", 2*time.Hour); err != nil {
					return 0, err
				}
				return len(r.All), nil
			})
			exec := run(t, h, nil)
			wantResult(t, exec, "2")
			if got := len(exec.Invocations()); got != 4 {
				t.Fatalf("%d invocations, want 4 (the items' waits, the batch's completion, its rebuild when the item's hour is up, the end)", got)
			}
			if n := lateRuns.Load(); n != 0 {
				t.Errorf("the unfinished item's step ran %d times after its batch completed, want 0", n)
			}
			if got := strings.Join(statuses, ","); got != "SUCCEEDED,STARTED" {
				t.Errorf("rebuilt item statuses %s, want SUCCEEDED,STARTED as the batch completed", got)
			}
		})
	}
}
