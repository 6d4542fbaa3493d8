package durable

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// recordingService acknowledges every checkpoint and records batch sizes.
type recordingService struct {
	mu       sync.Mutex
	batches  []int
	bytes    []int
	err      error
	terminal bool
}

func (s *recordingService) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	n := 0
	for i := range req.Updates {
		n += updateSize(&req.Updates[i])
	}
	s.batches = append(s.batches, len(req.Updates))
	s.bytes = append(s.bytes, n)
	if s.terminal {
		return &protocol.CheckpointResponse{}, nil
	}
	return &protocol.CheckpointResponse{CheckpointToken: "t" + strconv.Itoa(len(s.batches))}, nil
}

func (s *recordingService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

func stepUpdate(i int, payload string) protocol.OperationUpdate {
	return protocol.OperationUpdate{ID: operationID("", i+1), Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Action: protocol.ActionSucceed, Payload: &payload}
}

func TestBatcherRespectsUpdateAndByteLimits(t *testing.T) {
	tests := []struct {
		name    string
		updates int
		payload int
		want    []int
	}{
		{"update count", 600, 10, []int{250, 250, 100}},
		{"bytes", 5, 300 * 1024, []int{2, 2, 1}},
		{"one oversized update still goes alone", 2, 800 * 1024, []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &recordingService{}
			cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint))
			defer cp.close()
			payload := strings.Repeat("x", tt.payload)
			for i := range tt.updates {
				if err := cp.enqueue(stepUpdate(i, payload)); err != nil {
					t.Fatal(err)
				}
			}
			if err := cp.flush(); err != nil {
				t.Fatal(err)
			}
			if got := svc.batches; !slices.Equal(got, tt.want) {
				t.Errorf("batches = %v, want %v", got, tt.want)
			}
			for i, n := range svc.bytes {
				if svc.batches[i] > 1 && n > maxBatchBytes {
					t.Errorf("batch %d holds %d bytes, over the %d limit", i, n, maxBatchBytes)
				}
			}
		})
	}
}

func TestBatcherFailureIsSticky(t *testing.T) {
	boom := errors.New("boom")
	svc := &recordingService{err: boom}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint))
	defer cp.close()
	cp.enter()
	if err := cp.send(stepUpdate(0, "1")); !errors.Is(err, boom) {
		t.Fatalf("send = %v, want the service error", err)
	}
	if err := cp.enqueue(stepUpdate(1, "2")); !errors.Is(err, boom) {
		t.Errorf("a later checkpoint = %v, want the same error at once", err)
	}
}

func TestBatcherStopsAfterTheExecutionEnds(t *testing.T) {
	svc := &recordingService{terminal: true}
	cp := newCheckpointer(context.Background(), svc, "arn", "t0", newExecutionState(), sdkLog(areaCheckpoint))
	defer cp.close()
	cp.enter()
	if err := cp.send(stepUpdate(0, "1")); err != nil {
		t.Fatalf("the completing checkpoint failed: %v", err)
	}
	if err := cp.send(stepUpdate(1, "2")); !errors.Is(err, ErrExecutionTerminal) {
		t.Errorf("checkpoint after the execution ended = %v, want ErrExecutionTerminal", err)
	}
}
