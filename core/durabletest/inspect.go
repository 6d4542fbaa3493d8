package durabletest

import "github.com/durable-go/durable-go/core/protocol"

// Arn returns the execution's DurableExecutionArn.
func (e *Execution) Arn() string { return e.arn }

// FunctionName returns the name of the function the execution runs.
func (e *Execution) FunctionName() string { return e.function }

// Status returns the execution status: ExecutionRunning,
// ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut or
// ExecutionStopped.
func (e *Execution) Status() string {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return e.status
}

// Result returns the JSON text the execution succeeded with, whether the
// handler returned it or checkpointed it because it was too large for the
// Lambda response. It is nil unless the execution succeeded with a result.
func (e *Execution) Result() *string {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	if e.status != ExecutionSucceeded {
		return nil
	}
	return cloneString(e.result)
}

// Error returns the error a FAILED, TIMED_OUT or STOPPED execution ended
// with; nil otherwise.
func (e *Execution) Error() *protocol.ErrorObject {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return cloneError(e.failure)
}

// History returns the execution's history events in order, as
// GetDurableExecutionHistory would with execution data included.
func (e *Execution) History() []Event {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	out := make([]Event, 0, e.history.len())
	e.history.each(func(id int, h *histEvent) { out = append(out, h.event(id)) })
	return out
}

// cloneDetails copies d without sharing what its pointers hold.
func cloneDetails(d EventDetails) EventDetails {
	if d.Input != nil {
		d.Input = &EventPayload{Payload: cloneString(d.Input.Payload), Truncated: d.Input.Truncated}
	}
	if d.Result != nil {
		d.Result = &EventPayload{Payload: cloneString(d.Result.Payload), Truncated: d.Result.Truncated}
	}
	if d.Error != nil {
		d.Error = &EventError{Payload: cloneError(d.Error.Payload), Truncated: d.Error.Truncated}
	}
	if d.RetryDetails != nil {
		r := *d.RetryDetails
		d.RetryDetails = &r
	}
	return d
}

// Operations returns every operation of the execution in start order,
// the EXECUTION operation first; unlike the state handed to invocations,
// it includes the children of completed child contexts.
func (e *Execution) Operations() []protocol.Operation {
	return e.selectOps(func(protocol.Operation) bool { return true })
}

// Operation returns the operation with the given id.
func (e *Execution) Operation(id string) (protocol.Operation, bool) {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	rec, ok := e.ops[id]
	if !ok {
		return protocol.Operation{}, false
	}
	return cloneOperation(rec.op), true
}

// FindOperation returns the first operation, in start order, with the
// given name.
func (e *Execution) FindOperation(name string) (protocol.Operation, bool) {
	ops := e.selectOps(func(op protocol.Operation) bool { return op.Name == name })
	if len(ops) == 0 {
		return protocol.Operation{}, false
	}
	return ops[0], true
}

// Callbacks returns the execution's CALLBACK operations in start order;
// their CallbackDetails.CallbackId is what SendCallbackSuccess and its
// siblings take.
func (e *Execution) Callbacks() []protocol.Operation {
	return e.selectOps(func(op protocol.Operation) bool { return op.Type == protocol.OperationTypeCallback })
}

func (e *Execution) selectOps(keep func(protocol.Operation) bool) []protocol.Operation {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	out := []protocol.Operation{}
	for _, rec := range e.opList {
		if keep(rec.op) {
			out = append(out, cloneOperation(rec.op))
		}
	}
	return out
}

// Invocations returns the invocations of the execution so far.
func (e *Execution) Invocations() []Invocation {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	return append([]Invocation(nil), e.invocations...)
}
