package durable

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Bounds on calls to the durable service. A call that hangs (a dropped
// connection the network never reports, an overloaded endpoint) must not
// hold the invocation until Lambda kills it: Lambda would then report a
// timeout instead of the retryable error that tells the service to
// re-invoke, and the invocation's logs would end without a word.
var (
	// serviceAttemptTimeout bounds one attempt of a service call (for the
	// AWS client, one call including the SDK's own retries of 5xx and
	// throttling). An attempt cut short is repeated, with the same
	// ClientToken for checkpoints, while time remains.
	serviceAttemptTimeout = 10 * time.Second
	// serviceDeadlineMargin is how long before the invocation's deadline
	// (its context's deadline, Lambda's timeout) a service call gives up:
	// the invocation then ends with a retryable error while Lambda still
	// has time to report it.
	serviceDeadlineMargin = time.Second
	// serviceHungAttempts bounds the attempts of a call without a deadline
	// (outside Lambda).
	serviceHungAttempts = 3
)

// boundedCall runs call with a per-attempt timeout, repeating attempts
// that timed out while the invocation's deadline allows. Errors the call
// itself returns are not repeated here: the service client has its own
// retry policy.
func boundedCall[R any](ctx context.Context, api string, call func(context.Context) (R, error)) (R, error) {
	var zero R
	deadline, hasDeadline := ctx.Deadline()
	for attempt := 1; ; attempt++ {
		timeout := serviceAttemptTimeout
		if hasDeadline {
			left := time.Until(deadline) - serviceDeadlineMargin
			if left <= 0 {
				return zero, serviceTimeout(api, attempt-1, deadline)
			}
			timeout = min(timeout, left)
		} else if attempt > serviceHungAttempts {
			return zero, serviceTimeout(api, attempt-1, time.Time{})
		}
		actx, cancel := context.WithTimeout(ctx, timeout)
		r, err := call(actx)
		timedOut := err != nil && errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		if !timedOut {
			return r, err
		}
	}
}

func serviceTimeout(api string, attempts int, deadline time.Time) error {
	msg := fmt.Sprintf("%d attempts of %v timed out", attempts, serviceAttemptTimeout)
	if !deadline.IsZero() {
		msg = fmt.Sprintf("%d attempts timed out; stopping %v before the invocation deadline %s",
			attempts, serviceDeadlineMargin, deadline.UTC().Format(time.RFC3339Nano))
	}
	if attempts == 0 {
		msg = fmt.Sprintf("no time left for a call: the invocation deadline %s is less than %v away",
			deadline.UTC().Format(time.RFC3339Nano), serviceDeadlineMargin)
	}
	return &protocol.APIError{Operation: api, Message: msg, Err: protocol.ErrServiceTimeout}
}

// checkpointBounded sends one checkpoint with boundedCall. The request
// gets a ClientToken if it has none, so that an attempt the service
// applied before it was cut short is not applied twice by the next one.
func checkpointBounded(ctx context.Context, svc protocol.Service, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	if req.ClientToken == "" {
		req.ClientToken = newClientToken()
	}
	return boundedCall(ctx, opCheckpointDurableExecution, func(ctx context.Context) (*protocol.CheckpointResponse, error) {
		return svc.Checkpoint(ctx, req)
	})
}

// stateBounded fetches one page of state with boundedCall.
func stateBounded(ctx context.Context, svc protocol.Service, req protocol.StateRequest) (*protocol.ExecutionState, error) {
	return boundedCall(ctx, opGetDurableExecutionState, func(ctx context.Context) (*protocol.ExecutionState, error) {
		return svc.GetExecutionState(ctx, req)
	})
}

// newClientToken returns a random idempotency token (the API allows 1-64
// characters).
func newClientToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
