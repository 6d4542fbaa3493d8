package durable

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

func TestHandleRejectsBadState(t *testing.T) {
	fn := Handler(func(*Context, string) (string, error) { return "", nil }, withService(nopService{}))
	tests := []struct {
		name    string
		payload string
		want    string
	}{
		{"missing execution", `{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[]}}`, "no EXECUTION operation"},
		{"wrong type", `{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"STEP","Status":"STARTED"}]}}`, "no EXECUTION operation"},
		{"unknown status", `{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"WEIRD"}]}}`, `unknown status "WEIRD"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fn.Invoke(context.Background(), []byte(tt.payload))
			if !errors.Is(err, protocol.ErrInvalidEvent) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Invoke error = %v, want ErrInvalidEvent mentioning %q", err, tt.want)
			}
		})
	}
}

type nopService struct{}

func (nopService) Checkpoint(context.Context, protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	return &protocol.CheckpointResponse{CheckpointToken: "next"}, nil
}

func (nopService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

// HandleEvent takes an event the caller decoded: a nil one, or one without
// the token every checkpoint needs, is an invalid event as in Handle, not
// a panic or a checkpoint the service rejects (failing the execution).
func TestHandleEventRejectsIncompleteEvents(t *testing.T) {
	state := &protocol.ExecutionState{Operations: []protocol.Operation{{ID: "x", Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted}}}
	for _, tt := range []struct {
		name string
		ev   *protocol.InvocationEvent
	}{
		{"nil", nil},
		{"no token", &protocol.InvocationEvent{DurableExecutionArn: "a/x", InitialExecutionState: state}},
		{"no arn", &protocol.InvocationEvent{CheckpointToken: "t", InitialExecutionState: state}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var svc countingService
			fn := Handler(func(c *Context, _ string) (int, error) {
				return Step(c, "s", func(*StepContext) (int, error) { return 1, nil }, WithStepSync())
			}, withService(&svc))
			var out *protocol.InvocationOutput
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("HandleEvent panicked: %v", r)
					}
				}()
				out, err = fn.HandleEvent(context.Background(), tt.ev)
			}()
			if !errors.Is(err, protocol.ErrInvalidEvent) {
				t.Errorf("HandleEvent = %+v, %v; want protocol.ErrInvalidEvent", out, err)
			}
			if n := svc.n.Load(); n != 0 {
				t.Errorf("%d checkpoints sent for an invalid event", n)
			}
		})
	}
}

type countingService struct {
	nopService
	n atomic.Int64
}

func (s *countingService) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.n.Add(1)
	return s.nopService.Checkpoint(ctx, req)
}
