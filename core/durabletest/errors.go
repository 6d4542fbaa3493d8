package durabletest

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/durable-go/durable-go/core/protocol"
)

// ErrBlocked is returned by RunToCompletion (and Run) when the execution
// is not terminal and nothing but an outside action can move it on: it
// waits for a callback without timeout, or for an execution that does. The
// wrapped message names what it waits for. Send the callback result and
// run again.
var ErrBlocked = errors.New("durabletest: execution blocked: only an external action can make progress")

// ErrInvalidConfig is returned by Start and Run of a Runner made with a
// nil handler or an invalid option (a nil or unnamed WithInvokeTarget, one
// named like the runner's own function, an empty WithFunctionName, a
// WithMaxInvocations or WithPageSize below 1, a WithExecutionTimeout
// outside (0, 366 days], a negative WithServiceLatency). The wrapped
// message names the option.
var ErrInvalidConfig = errors.New("durabletest: invalid runner configuration")

// ErrBusy is returned when Start, Run, RunUntilIdle, Advance or
// RunToCompletion is called from inside a handler of the same Runner (its
// context derives from the handler's): the runner is driving that very
// invocation. Calls from other goroutines wait for their turn instead.
// Host.Run returns it too when another Run of the same Host is running.
var ErrBusy = errors.New("durabletest: the runner is already driving executions")

// Error types the service and runner write into ErrorObjects.
const (
	// ErrorTypeExitError marks an invocation that crashed: the handler
	// panicked, or the test simulated a crash (Crash, WithCrash).
	ErrorTypeExitError = "Runtime.ExitError"
	// ErrorTypeInvalidOutput marks an invocation whose output is not a
	// valid envelope, and an execution failed because its handler returned
	// PENDING with nothing pending.
	ErrorTypeInvalidOutput = "Runtime.InvalidOutput"
	// ErrorTypeMaxInvocations fails an execution that needed more
	// invocations than WithMaxInvocations allows.
	ErrorTypeMaxInvocations = "DurableTest.MaxInvocationsExceeded"
	// ErrorTypeExecutionTimeout fails an execution that outlived its
	// execution timeout (WithExecutionTimeout).
	ErrorTypeExecutionTimeout = "Execution.Timeout"
	// ErrorTypeCallbackTimeout and ErrorTypeCallbackHeartbeat are the
	// errors of a timed-out callback.
	ErrorTypeCallbackTimeout   = "Callback.Timeout"
	ErrorTypeCallbackHeartbeat = "Callback.Heartbeat"
	// ErrorTypeResourceNotFound fails a chained invoke of a function the
	// runner does not know (see WithInvokeTarget).
	ErrorTypeResourceNotFound = "ResourceNotFoundException"
)

// Service API error codes (protocol §4.2).
const (
	codeInvalidParameter = "InvalidParameterValueException"
	codeNotFound         = "ResourceNotFoundException"
	codeCallbackTimeout  = "CallbackTimeoutException"
	codeTooLarge         = "RequestTooLargeException"
	codeService          = "ServiceException"
)

// API operation names, for APIError.Operation.
const (
	apiCheckpoint        = "CheckpointDurableExecution"
	apiGetState          = "GetDurableExecutionState"
	apiCallbackSuccess   = "SendDurableExecutionCallbackSuccess"
	apiCallbackFailure   = "SendDurableExecutionCallbackFailure"
	apiCallbackHeartbeat = "SendDurableExecutionCallbackHeartbeat"
	apiStop              = "StopDurableExecution"
)

func invalidParameter(api, format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Operation: api, Code: codeInvalidParameter,
		Message: fmt.Sprintf(format, args...), StatusCode: http.StatusBadRequest}
}

func notFound(api, format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Operation: api, Code: codeNotFound,
		Message: fmt.Sprintf(format, args...), StatusCode: http.StatusNotFound}
}

func callbackClosed(api, format string, args ...any) *protocol.APIError {
	return &protocol.APIError{Operation: api, Code: codeCallbackTimeout,
		Message: fmt.Sprintf(format, args...), StatusCode: http.StatusBadRequest}
}

func invalidToken(api string) *protocol.APIError {
	return invalidParameter(api, "Invalid checkpoint token")
}

// errorTypeName names err the way the Lambda Go runtime reports a handler
// error: its type name without the pointer.
func errorTypeName(err error) string {
	if typed, ok := err.(interface{ ErrorType() string }); ok {
		return typed.ErrorType()
	}
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

func cloneError(e *protocol.ErrorObject) *protocol.ErrorObject {
	if e == nil {
		return nil
	}
	c := *e
	c.StackTrace = append([]string(nil), e.StackTrace...)
	return &c
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}
