package protocol

import "context"

// CheckpointRequest is one CheckpointDurableExecution call.
type CheckpointRequest struct {
	DurableExecutionArn string
	CheckpointToken     string
	ClientToken         string
	Updates             []OperationUpdate
}

// CheckpointResponse is the service's answer to a checkpoint. An empty
// CheckpointToken after a non-empty batch means the execution is terminal.
type CheckpointResponse struct {
	CheckpointToken   string
	NewExecutionState ExecutionState
}

// StateRequest asks for one page of an execution's operations.
type StateRequest struct {
	DurableExecutionArn string
	CheckpointToken     string
	Marker              string
	MaxItems            int
}

// Service is everything the runtime needs from the durable execution
// service. Implementations: the AWS Lambda API (the default of
// durable.Handler, see durable.WithLambdaClient), the in-memory service of
// package durabletest (which also serves the local durable service).
//
// Implementations return errors that classify themselves through
// IsRetryable; an *APIError carries the service's error code.
//
// Checkpoint must not keep req.Updates after it returns: the runtime
// reuses the slice for its next batch (what the updates point to, such as
// payloads, may be kept).
type Service interface {
	Checkpoint(ctx context.Context, req CheckpointRequest) (*CheckpointResponse, error)
	GetExecutionState(ctx context.Context, req StateRequest) (*ExecutionState, error)
}
