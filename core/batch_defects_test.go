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
