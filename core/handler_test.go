package durable

import (
	"context"
	"errors"
	"strings"
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
