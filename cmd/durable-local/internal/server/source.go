package server

import (
	"context"
	"net/http"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
)

// Source is everything a console (or any other viewer) needs from a
// running durable-local: the executions with their operations, history
// and invocations (durabletest.Execution's accessors), the lines each
// invocation printed, a change feed, and the actions a developer takes.
// *Server implements it.
type Source interface {
	// Executions lists every execution in creation order.
	Executions() []*durabletest.Execution
	// Execution finds one by ARN (ResourceNotFoundException otherwise).
	Execution(arn string) (*durabletest.Execution, error)
	// Functions lists the registered function names.
	Functions() []string
	// Lines returns what the function processes printed for an
	// execution; LogLine.RequestID names the invocation
	// (durabletest.Invocation.RequestID).
	Lines(arn string) []LogLine
	// Now returns the service clock, on which execution times are
	// taken (ahead of the wall clock by the time skipped).
	Now() time.Time
	// Subscribe calls fn with the ARN of each execution that changed
	// (state, history, invocation, new log line). fn must not block.
	Subscribe(fn func(arn string)) (cancel func())
	// Start starts an execution, as the Invoke API does.
	Start(function string, input *string) (*durabletest.Execution, error)
	// SendCallbackSuccess and SendCallbackFailure complete a callback.
	SendCallbackSuccess(ctx context.Context, callbackID string, result []byte) error
	SendCallbackFailure(ctx context.Context, callbackID, errorType, message string) error
}

var _ Source = (*Server)(nil)

// Executions lists every execution in creation order.
func (s *Server) Executions() []*durabletest.Execution { return s.host.Executions() }

// Execution finds an execution by ARN.
func (s *Server) Execution(arn string) (*durabletest.Execution, error) { return s.host.Execution(arn) }

// Functions lists the registered function names.
func (s *Server) Functions() []string { return s.host.Functions() }

// Now returns the service clock.
func (s *Server) Now() time.Time { return s.host.Now() }

// Lines returns the lines the function processes printed for arn.
func (s *Server) Lines(arn string) []LogLine { return s.logs.Lines(arn) }

// Subscribe reports changed executions and new log lines.
func (s *Server) Subscribe(fn func(arn string)) (cancel func()) {
	c1, c2 := s.host.Subscribe(fn), s.logs.Subscribe(fn)
	return func() { c1(); c2() }
}

// Start starts an execution of function with input.
func (s *Server) Start(function string, input *string) (*durabletest.Execution, error) {
	if input != nil && len(*input) > maxInvokePayload { // the Invoke API's limit
		err := newError(http.StatusRequestEntityTooLarge, codeTooLarge, "Request must be smaller than %d bytes", maxInvokePayload)
		err.Operation = "Invoke"
		return nil, err
	}
	e, _, err := s.host.Start(function, "", "", input, "")
	return e, err
}

// SendCallbackSuccess completes a callback with result.
func (s *Server) SendCallbackSuccess(ctx context.Context, callbackID string, result []byte) error {
	return s.host.SendCallbackSuccess(ctx, callbackID, result)
}

// SendCallbackFailure fails a callback.
func (s *Server) SendCallbackFailure(ctx context.Context, callbackID, errorType, message string) error {
	return s.host.SendCallbackFailure(ctx, callbackID, errorObject{ErrorType: errorType, ErrorMessage: message})
}
