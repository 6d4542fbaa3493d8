package durabletest

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// callbackRef locates a callback id's operation.
type callbackRef struct {
	exec *Execution
	opID string
}

// startCallback creates a CALLBACK operation with a fresh CallbackId and
// arms its timeout and heartbeat timeout (protocol §8.3).
func (s *Service) startCallback(e *Execution, u protocol.OperationUpdate) {
	rec := e.newOp(u)
	id := s.ids.opaque("callback")
	rec.op.CallbackDetails = &protocol.CallbackDetails{CallbackID: id}
	s.callbacks[id] = callbackRef{exec: e, opID: rec.op.ID}
	var opts protocol.CallbackOptions
	if u.CallbackOptions != nil {
		opts = *u.CallbackOptions
	}
	e.opEvent(rec, EventCallbackStarted, EventDetails{
		CallbackID: id, Timeout: opts.TimeoutSeconds, HeartbeatTimeout: opts.HeartbeatTimeoutSeconds})
	if opts.TimeoutSeconds > 0 {
		rec.timeout = e.schedule(s.clock.now.Add(time.Duration(opts.TimeoutSeconds)*time.Second), false, func() {
			s.timeOutCallback(e, rec, ErrorTypeCallbackTimeout, "Callback timed out")
		})
	}
	rec.heartbeatSeconds = opts.HeartbeatTimeoutSeconds
	s.armHeartbeat(e, rec)
}

// armHeartbeat (re)starts the heartbeat timeout of rec, if it has one.
func (s *Service) armHeartbeat(e *Execution, rec *opRecord) {
	if rec.heartbeatSeconds <= 0 {
		return
	}
	rec.heartbeat.cancel()
	rec.heartbeat = e.schedule(s.clock.now.Add(time.Duration(rec.heartbeatSeconds)*time.Second), false, func() {
		s.timeOutCallback(e, rec, ErrorTypeCallbackHeartbeat, "Callback heartbeat timed out")
	})
}

func (s *Service) timeOutCallback(e *Execution, rec *opRecord, errorType, msg string) {
	if rec.op.Status != protocol.StatusStarted {
		return
	}
	failure := &protocol.ErrorObject{ErrorType: errorType, ErrorMessage: msg}
	s.closeCallback(e, rec, protocol.StatusTimedOut, nil, failure)
}

// closeCallback completes a callback, records its event and re-invokes
// the execution waiting for it.
func (s *Service) closeCallback(e *Execution, rec *opRecord, status protocol.OperationStatus, result []byte, failure *protocol.ErrorObject) {
	rec.timeout.cancel()
	rec.heartbeat.cancel()
	d := &protocol.CallbackDetails{CallbackID: rec.op.CallbackDetails.CallbackID, Error: cloneError(failure)}
	if len(result) > 0 {
		r := string(result)
		d.Result = &r
	}
	rec.op.CallbackDetails = d
	e.end(rec, status)
	switch status {
	case protocol.StatusSucceeded:
		e.opEvent(rec, EventCallbackSucceeded, EventDetails{Result: payloadOf(d.Result)})
	case protocol.StatusFailed:
		e.opEvent(rec, EventCallbackFailed, EventDetails{Error: errorOf(failure)})
	default:
		e.opEvent(rec, EventCallbackTimedOut, EventDetails{Error: errorOf(failure)})
	}
	s.wake(e)
}

// openCallback finds a callback that can still be completed.
func (s *Service) openCallback(api, callbackID string) (*Execution, *opRecord, error) {
	ref, ok := s.callbacks[callbackID]
	if !ok {
		return nil, nil, notFound(api, "Callback %s not found", callbackID)
	}
	e := ref.exec
	rec := e.ops[ref.opID]
	if rec.op.Status != protocol.StatusStarted {
		return nil, nil, callbackClosed(api, "Callback %s is already closed (status %s)", callbackID, rec.op.Status)
	}
	if e.status != ExecutionRunning {
		return nil, nil, callbackClosed(api, "Callback %s belongs to an execution that is %s", callbackID, e.status)
	}
	return e, rec, nil
}

// SendCallbackSuccess completes a callback with result, the raw bytes an
// external system sent (SendDurableExecutionCallbackSuccess), at most
// 256 KiB. An empty result completes it without one. The waiting execution's next
// invocation becomes due; run it with RunUntilIdle or RunToCompletion.
// Errors are *protocol.APIError: ResourceNotFoundException for an unknown
// id, CallbackTimeoutException for a callback already closed,
// RequestTooLargeException for a larger result.
func (s *Service) SendCallbackSuccess(_ context.Context, callbackID string, result []byte) error {
	if len(result) > maxCallbackResultBytes {
		return &protocol.APIError{Operation: apiCallbackSuccess, Code: codeTooLarge, StatusCode: http.StatusRequestEntityTooLarge,
			Message: fmt.Sprintf("Callback result of %d bytes exceeds the limit of %d", len(result), maxCallbackResultBytes)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, rec, err := s.openCallback(apiCallbackSuccess, callbackID)
	if err != nil {
		return err
	}
	s.closeCallback(e, rec, protocol.StatusSucceeded, result, nil)
	return nil
}

// SendCallbackFailure fails a callback with errObj
// (SendDurableExecutionCallbackFailure). Errors as for SendCallbackSuccess;
// an errObj over 1 MB is an InvalidParameterValueException.
func (s *Service) SendCallbackFailure(_ context.Context, callbackID string, errObj protocol.ErrorObject) error {
	if n := errorSize(&errObj); n > maxErrorBytes {
		return invalidParameter(apiCallbackFailure, "Error of %d bytes exceeds the limit of %d", n, maxErrorBytes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, rec, err := s.openCallback(apiCallbackFailure, callbackID)
	if err != nil {
		return err
	}
	s.closeCallback(e, rec, protocol.StatusFailed, nil, &errObj)
	return nil
}

// SendCallbackHeartbeat restarts a callback's heartbeat timeout
// (SendDurableExecutionCallbackHeartbeat). Errors as for
// SendCallbackSuccess.
func (s *Service) SendCallbackHeartbeat(_ context.Context, callbackID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, rec, err := s.openCallback(apiCallbackHeartbeat, callbackID)
	if err != nil {
		return err
	}
	s.armHeartbeat(e, rec)
	return nil
}
