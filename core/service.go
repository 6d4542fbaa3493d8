package durable

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
// service. It has three implementations: the AWS Lambda API
// (NewLambdaService), the in-memory service of package durabletest, and any
// test double a user writes.
//
// Implementations return errors that classify themselves through
// IsRetryable; an *APIError carries the service's error code.
type Service interface {
	Checkpoint(ctx context.Context, req CheckpointRequest) (*CheckpointResponse, error)
	GetExecutionState(ctx context.Context, req StateRequest) (*ExecutionState, error)
}

type serviceKey struct{}

// ContextWithService returns a context whose durable invocations use svc
// instead of the handler's configured service. Local runners such as
// durabletest use it to drive a handler through the same code path as Lambda.
func ContextWithService(ctx context.Context, svc Service) context.Context {
	return context.WithValue(ctx, serviceKey{}, svc)
}

func serviceFromContext(ctx context.Context) Service {
	svc, _ := ctx.Value(serviceKey{}).(Service)
	return svc
}
