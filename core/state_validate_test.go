package durable

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// markerLoopService answers every GetDurableExecutionState with the same
// NextMarker, as a faulty service might.
type markerLoopService struct {
	nopService
	calls atomic.Int64
}

func (s *markerLoopService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	if s.calls.Add(1) > 1000 {
		return nil, errors.New("test: paging did not stop after 1000 calls")
	}
	return &protocol.ExecutionState{NextMarker: "same"}, nil
}

// markerCycleService pages a, b, a, b, ...
type markerCycleService struct {
	nopService
	calls atomic.Int64
}

func (s *markerCycleService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	n := s.calls.Add(1)
	if n > 1000 {
		return nil, errors.New("test: paging did not stop after 1000 calls")
	}
	return &protocol.ExecutionState{NextMarker: []string{"a", "b"}[n%2]}, nil
}

func TestRepeatedNextMarkerFailsClearly(t *testing.T) {
	const event = `{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}],"NextMarker":"same"}}`
	for _, tt := range []struct {
		name      string
		svc       interface{ callCount() int64 }
		wantCalls int64
	}{
		{"same marker again", &markerLoopService{}, 1},
		{"markers cycling", &markerCycleService{}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fn := Handler(func(*Context, string) (string, error) { return "", nil }, withService(tt.svc.(protocol.Service)))
			_, err := fn.Invoke(context.Background(), []byte(event))
			if !errors.Is(err, protocol.ErrStatePaging) {
				t.Fatalf("Invoke error = %v, want protocol.ErrStatePaging", err)
			}
			if !strings.Contains(err.Error(), "returned again") {
				t.Errorf("error %q does not say the marker came back", err)
			}
			if got := tt.svc.callCount(); got != tt.wantCalls {
				t.Errorf("%d GetDurableExecutionState calls, want %d", got, tt.wantCalls)
			}
		})
	}
}

func (s *markerLoopService) callCount() int64  { return s.calls.Load() }
func (s *markerCycleService) callCount() int64 { return s.calls.Load() }

// checkpointMarkerLoop answers a checkpoint with a NextMarker that pages
// back to itself.
type checkpointMarkerLoop struct{ markerLoopService }

func (s *checkpointMarkerLoop) Checkpoint(context.Context, protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	return &protocol.CheckpointResponse{CheckpointToken: "t2", NewExecutionState: protocol.ExecutionState{NextMarker: "same"}}, nil
}

func TestRepeatedNextMarkerInCheckpointResponse(t *testing.T) {
	svc := &checkpointMarkerLoop{}
	ran := 0
	fn := Handler(func(c *Context, _ string) (int, error) {
		return Step(c, "s", func(*StepContext) (int, error) { ran++; return 1, nil })
	}, withService(svc))
	_, err := fn.Invoke(context.Background(), []byte(`{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`))
	if !errors.Is(err, protocol.ErrStatePaging) {
		t.Fatalf("Invoke error = %v, want protocol.ErrStatePaging (a Lambda error)", err)
	}
	if ran != 1 {
		t.Errorf("step body ran %d times, want 1", ran)
	}
}

// Both decoders (the fast one and encoding/json, which the second payload
// of each pair forces with a key the fast decoder does not know) must lead
// to the same protocol.ErrInvalidEvent naming the operation (that an unknown
// key takes the general decoder is tested in package protocol).
func TestInvalidOperationsInEvent(t *testing.T) {
	const step = `{"Id":"s1","Type":"STEP","SubType":"Step","Status":"SUCCEEDED","StepDetails":{"Result":"1"}}`
	const exec = `{"Id":"x","Type":"EXECUTION","Status":"STARTED"}`
	tests := []struct {
		name, ops, want string
	}{
		{"unknown type", exec + `,{"Id":"s1","Type":"TIMER","SubType":"Step","Status":"SUCCEEDED"}`, `operation s1 has unknown type "TIMER"`},
		{"duplicate id", exec + `,` + step + `,` + step, "operation id s1 occurs more than once"},
		{"duplicate execution", exec + `,` + step + `,` + exec, "operation id x occurs more than once"},
	}
	for _, tt := range tests {
		for _, path := range []string{"fast", "encoding/json"} {
			t.Run(tt.name+"/"+path, func(t *testing.T) {
				extra := ""
				if path == "encoding/json" {
					extra = `,"SomethingNew":{"x":[1]}`
				}
				payload := `{"DurableExecutionArn":"a/x","CheckpointToken":"t"` + extra + `,"InitialExecutionState":{"Operations":[` + tt.ops + `]}}`
				ran := false
				fn := Handler(func(c *Context, _ string) (int, error) {
					ran = true
					return Step(c, "", func(*StepContext) (int, error) { return 2, nil })
				}, withService(nopService{}))
				_, err := fn.Invoke(context.Background(), []byte(payload))
				if !errors.Is(err, protocol.ErrInvalidEvent) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Invoke error = %v, want protocol.ErrInvalidEvent mentioning %q", err, tt.want)
				}
				var nd *NonDeterministicError
				if errors.As(err, &nd) {
					t.Errorf("an invalid event is blamed on the handler: %v", err)
				}
				if ran {
					t.Error("the handler ran on an invalid event")
				}
			})
		}
	}
}

// pagedDuplicateService returns a second page repeating the first page's
// step id.
type pagedDuplicateService struct{ nopService }

func (pagedDuplicateService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{Operations: []protocol.Operation{{ID: "s1", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Status: protocol.StatusStarted}}}, nil
}

func TestDuplicateIDAcrossStatePages(t *testing.T) {
	fn := Handler(func(*Context, string) (string, error) { return "", nil }, withService(pagedDuplicateService{}))
	payload := `{"DurableExecutionArn":"a/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"},{"Id":"s1","Type":"STEP","SubType":"Step","Status":"SUCCEEDED"}],"NextMarker":"m"}}`
	_, err := fn.Invoke(context.Background(), []byte(payload))
	if !errors.Is(err, protocol.ErrInvalidEvent) || !strings.Contains(err.Error(), "operation id s1 occurs more than once") {
		t.Fatalf("Invoke error = %v, want protocol.ErrInvalidEvent naming s1", err)
	}
}
