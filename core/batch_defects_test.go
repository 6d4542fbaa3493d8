package durable_test

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/protocol"
)

// A map item is a child context (protocol §8.6, §8.7): a result over
// 256 KiB is not checkpointed (ReplayChildren and an empty summary) but
// rebuilt on replay by re-running the item, whose own operations replay.
// Checkpointing it made a result over the service's 1 MB payload limit
// fail the whole execution.
func TestMapItemResultOver256KiBIsRebuiltNotCheckpointed(t *testing.T) {
	big := strings.Repeat("x", 1100*1024)
	var bodyRuns atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		r, err := durable.Map(ctx, "m", []int{1, 2}, func(c *durable.Context, it, _ int, _ []int) (string, error) {
			s, err := durable.Step(c, "part", func(*durable.StepContext) (string, error) {
				bodyRuns.Add(1)
				return strings.Repeat("y", it), nil
			})
			return s + big, err
		})
		if err != nil {
			return 0, err
		}
		if err := durable.Wait(ctx, "w", time.Second); err != nil {
			return 0, err
		}
		n := 0
		for _, v := range r.Results() {
			n += len(v)
		}
		return n, r.Err()
	})
	exec := run(t, h, nil)
	wantResult(t, exec, "2252803") // 2*1100 KiB + 1 + 2
	if n := bodyRuns.Load(); n != 2 {
		t.Errorf("item steps ran %d times, want 2 (once each; the re-run replays them)", n)
	}
	items := 0
	for _, op := range exec.Operations() {
		if op.SubType != protocol.SubTypeMapIteration {
			continue
		}
		items++
		d := op.ContextDetails
		if op.Status != protocol.StatusSucceeded || d == nil || !d.ReplayChildren || (d.Result != nil && *d.Result != "") {
			t.Errorf("item %s: status %s, details %+v; want SUCCEEDED with ReplayChildren and no result", op.ID, op.Status, d)
		}
	}
	if items != 2 {
		t.Errorf("%d map items recorded, want 2", items)
	}
}

// WithMinSuccessful(0) is outside its documented range (1 to the item
// count; protocol §8.7: minSuccessful >= 1), like WithMaxConcurrency(0):
// it must fail loudly instead of quietly meaning "not set".
func TestMinSuccessfulZeroIsInvalid(t *testing.T) {
	var ran atomic.Int32
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		_, err := durable.Map(ctx, "m", []int{1, 2}, func(*durable.Context, int, int, []int) (int, error) {
			ran.Add(1)
			return 0, nil
		}, durable.WithMinSuccessful(0))
		if !errors.Is(err, durable.ErrInvalidArgument) {
			return "", fmt.Errorf("Map with WithMinSuccessful(0) returned %v, want ErrInvalidArgument", err)
		}
		return "rejected", nil
	})
	wantResult(t, run(t, h, nil), `"rejected"`)
	if n := ran.Load(); n != 0 {
		t.Errorf("%d items ran, want none", n)
	}
}

// A flat (virtual) item has no record of its own, so "an item whose own
// record does not exist starts new" (protocol §6.2) made every flat item
// of an unfinished batch re-run in the next invocation as new code: its
// log lines printed again, including those of items that had completed.
// Whether it ran before shows in its first operation's record. (Code after
// the last operation of a flat item that completed still runs as new:
// nothing records that the item completed.)
func TestFlatItemsReplayLikeOtherItems(t *testing.T) {
	for _, flat := range []bool{false, true} {
		t.Run(fmt.Sprintf("flat=%v", flat), func(t *testing.T) {
			var opts []durable.BatchOption
			if flat {
				opts = append(opts, durable.WithFlatNesting())
			}
			h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
				r, err := durable.Map(ctx, "m", []int{1, 2}, func(c *durable.Context, it, _ int, _ []int) (int, error) {
					c.Logger().Info("item start", "item", it)
					v, err := durable.Step(c, "s", func(*durable.StepContext) (int, error) { return it, nil })
					if err != nil || it == 1 {
						return v, err
					}
					c.Logger().Info("item waits", "item", it)
					err = durable.Wait(c, "w", time.Second)
					c.Logger().Info("item end", "item", it)
					return v, err
				}, opts...)
				if err != nil {
					return 0, err
				}
				return len(r.Results()), r.Err()
			})
			exec := run(t, h, nil)
			wantResult(t, exec, "2")
			if n := len(exec.Invocations()); n != 2 {
				t.Fatalf("%d invocations, want 2 (item 2 waits)", n)
			}
			count := map[string]int{}
			for _, l := range exec.EmittedLogs() {
				count[fmt.Sprint(l.Message, " ", l.Fields["item"])]++
			}
			for _, line := range []string{"item start 1", "item start 2", "item waits 2", "item end 2"} {
				if count[line] != 1 {
					t.Errorf("%q printed %d times, want once (all: %v)", line, count[line], count)
				}
			}
		})
	}
}
