package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/protocol"
)

// outcomeAckService acknowledges checkpoints and remembers which step outcomes
// (STEP SUCCEED or FAIL) it has acknowledged.
type outcomeAckService struct {
	calls atomic.Int32
	mu    sync.Mutex
	acked map[string]bool // by operation name
}

func (s *outcomeAckService) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range req.Updates {
		if u.Type == protocol.OperationTypeStep && (u.Action == protocol.ActionSucceed || u.Action == protocol.ActionFail) {
			s.acked[u.Name] = true
		}
	}
	return &protocol.CheckpointResponse{CheckpointToken: fmt.Sprintf("t%d", s.calls.Add(1))}, nil
}

func (*outcomeAckService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

// Without a durability window no step body, nor a WaitForCondition check,
// ever runs while the outcome of a step that already returned to the code
// is unacknowledged, whatever the operation kinds around it: steps that
// fail, at-most-once steps, child contexts, map items and parallel
// branches (which run concurrently: "already returned" means before the
// body started). With a window, the same workflow does run bodies ahead
// of acknowledgements (the test can fail).
func TestWithoutAWindowNoBodyRunsAheadOfAReturnedStepsOutcome(t *testing.T) {
	for _, tt := range []struct {
		name     string
		opts     []durable.Option
		wantRace bool
	}{{"NoWindow", nil, false}, {"Window", []durable.Option{window}, true}} {
		t.Run(tt.name, func(t *testing.T) {
			svc := &outcomeAckService{acked: map[string]bool{}}
			var mu sync.Mutex
			var returned, ahead []string
			var n atomic.Int32
			// body checks, as a body starts, that every returned step's
			// outcome was acknowledged.
			body := func(name string) {
				mu.Lock()
				defer mu.Unlock()
				svc.mu.Lock()
				defer svc.mu.Unlock()
				for _, r := range returned {
					if !svc.acked[r] {
						ahead = append(ahead, name+" ran before "+r+"'s outcome was acknowledged")
					}
				}
			}
			step := func(ctx *durable.Context, fail bool, opts ...durable.StepOption) {
				name := fmt.Sprintf("s%d", n.Add(1))
				_, _ = durable.Step(ctx, name, func(*durable.StepContext) (int, error) {
					body(name)
					if fail {
						return 0, errors.New("fails")
					}
					return 1, nil
				}, append(opts, durable.WithRetryStrategy(durable.NoRetry))...)
				mu.Lock()
				returned = append(returned, name)
				mu.Unlock()
			}
			h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
				step(ctx, false)
				step(ctx, true)
				step(ctx, false, durable.WithAtMostOncePerRetry())
				step(ctx, false)
				_, _ = durable.WaitForCondition(ctx, "poll", 0, func(_ *durable.StepContext, s int) (int, error) {
					body("poll")
					return s + 1, nil
				}, func(int, int) (durable.WaitDecision, error) { return durable.WaitDecision{}, nil })
				step(ctx, false)
				_, _ = durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
					step(c, false)
					step(c, false)
					return 0, nil
				})
				step(ctx, false)
				_, _ = durable.Map(ctx, "map", []int{1, 2, 3, 4}, func(c *durable.Context, _ int, _ int, _ []int) (int, error) {
					step(c, false)
					step(c, true)
					step(c, false)
					return 0, nil
				}, durable.WithMaxConcurrency(2))
				_, _ = durable.Parallel(ctx, "par", []durable.Branch[int]{
					{Name: "a", Func: func(c *durable.Context) (int, error) { step(c, false); step(c, false); return 0, nil }},
					{Name: "b", Func: func(c *durable.Context) (int, error) { step(c, false); step(c, false); return 0, nil }},
				})
				step(ctx, false)
				return 0, nil
			}, append(tt.opts, durable.WithServiceForTest(svc))...)
			out, err := h.Handle(context.Background(), []byte(`{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t",
		"InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`))
			if err != nil || out.Status != protocol.InvocationSucceeded {
				t.Fatalf("Handle = %+v, %v", out, err)
			}
			if got := len(ahead) > 0; got != tt.wantRace {
				t.Errorf("bodies ahead of acknowledgements: %q; want some: %v", ahead, tt.wantRace)
			}
			if len(returned) < 20 || !slices.Contains(returned, "s20") {
				t.Errorf("steps returned: %q; want every step of the workflow", returned)
			}
		})
	}
}
