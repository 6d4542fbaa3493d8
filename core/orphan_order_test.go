package durable

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// orderService records every update in the order the service receives
// them, holding the first call until open is closed.
type orderService struct {
	open    chan struct{}
	mu      sync.Mutex
	calls   int
	updates []protocol.OperationUpdate
}

func (s *orderService) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	<-s.open
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	for _, u := range req.Updates {
		u.Payload = nil
		s.updates = append(s.updates, u)
	}
	return &protocol.CheckpointResponse{CheckpointToken: fmt.Sprintf("t%d", s.calls)}, nil
}

func (*orderService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

// queued reports whether the checkpointer's queue holds an update of id
// with action a.
func queued(cp *checkpointer, id string, a protocol.OperationAction) bool {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	for _, u := range cp.queue {
		if u.ID == id && u.Action == a {
			return true
		}
	}
	return false
}

// An item that is still running when its batch completes is orphaned: it
// must not checkpoint anything after the batch's SUCCEED (protocol §8.7),
// even when it was already inside a checkpoint call, waiting for room in
// the queue, at the moment the batch completed.
func TestOrphanWaitingToQueueCannotCheckpointAfterItsBatch(t *testing.T) {
	svc := &orderService{open: make(chan struct{})}
	cps := make(chan *checkpointer, 1)
	var mapID string
	h := Handler(func(ctx *Context, _ any) (int, error) {
		mapID = ctx.peekNextID()
		cps <- ctx.inv.cp
		res, err := Map(ctx, "m", []int{0, 1}, func(c *Context, item, _ int, _ []int) (int, error) {
			if item == 1 {
				// Finish once item 0 waits for room in a full queue (the
				// first call held by the service): it is then inside a
				// checkpoint call, past every orphan check made before it.
				cp := c.inv.cp
				for {
					cp.mu.Lock()
					parked := len(cp.queue) >= maxQueued && cp.active == 1
					cp.mu.Unlock()
					if parked {
						return 1, nil
					}
					runtime.Gosched()
				}
			}
			for i := 0; ; i++ {
				if _, err := Step(c, "", func(*StepContext) (int, error) { return i, nil }); err != nil {
					return 0, err
				}
			}
		}, WithMinSuccessful(1), WithFlatNesting())
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	}, withService(svc), WithCheckpointWindow(time.Hour)) // item 0's outcomes fill the queue
	go func() {
		cp := <-cps
		for !queued(cp, mapID, protocol.ActionSucceed) {
			runtime.Gosched()
		}
		close(svc.open)
	}()
	out, err := h.Handle(context.Background(), []byte(`{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t",
		"InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`))
	if err != nil || out.Status != protocol.InvocationSucceeded {
		t.Fatalf("Handle = %+v, %v", out, err)
	}
	done := false
	for i, u := range svc.updates {
		if u.ID == mapID && u.Action == protocol.ActionSucceed {
			done = true
			continue
		}
		if done && u.ParentID == mapID {
			t.Fatalf("update %d of %d: %s %s of an item's operation %s after the batch's SUCCEED", i, len(svc.updates), u.Action, u.Type, u.ID)
		}
	}
	if !done {
		t.Fatal("the batch's SUCCEED was never sent")
	}
}
