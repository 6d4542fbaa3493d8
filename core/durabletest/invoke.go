package durabletest

import (
	"strings"

	"github.com/durable-go/durable-go/core/protocol"
)

// invokeLink ties a chained-invoke target execution to the operation of
// the execution that invoked it.
type invokeLink struct {
	exec *Execution
	opID string
}

// splitFunctionName returns the function name and qualifier of a
// FunctionName as the Lambda API accepts it: a name, "name:qualifier", a
// partial ARN or a full ARN, with or without a qualifier.
func splitFunctionName(s string) (name, qualifier string) {
	parts := strings.Split(s, ":")
	for i, p := range parts {
		if p == "function" && i+1 < len(parts) {
			name = parts[i+1]
			if i+2 < len(parts) {
				qualifier = parts[i+2]
			}
			return name, qualifier
		}
	}
	if len(parts) > 1 {
		return parts[0], parts[1]
	}
	return s, ""
}

// applyChainedInvoke starts the target function as its own durable
// execution, or cancels it (protocol §8.5). An unknown target fails the
// operation at once, as a missing function or permission would.
func (s *Service) applyChainedInvoke(e *Execution, u protocol.OperationUpdate) {
	if u.Action == protocol.ActionCancel {
		rec := e.ops[u.ID]
		s.endChainedInvoke(e, rec, protocol.StatusStopped, nil, u.Error)
		if t := rec.target; t != nil {
			s.finish(t, ExecutionStopped, nil, &protocol.ErrorObject{
				ErrorType: "Execution.Stopped", ErrorMessage: "Stopped by the invoking execution"})
		}
		return
	}
	rec := e.newOp(u)
	opts := u.ChainedInvokeOptions
	name, qualifier := splitFunctionName(opts.FunctionName)
	if qualifier == "" {
		qualifier = latestVersion
	}
	details := EventDetails{FunctionName: opts.FunctionName, Input: payloadOf(u.Payload),
		ExecutedVersion: qualifier, TenantID: opts.TenantID}
	h, ok := s.cfg.functions[name]
	if !ok || isNil(h) {
		msg := "Function not found: " + arnPrefix + name + ":" + qualifier
		if ok {
			msg = "Function " + arnPrefix + name + ":" + qualifier + " was registered with a nil handler"
		}
		e.opEvent(rec, EventChainedInvokeStarted, details)
		s.endChainedInvoke(e, rec, protocol.StatusFailed, nil, &protocol.ErrorObject{
			ErrorType: ErrorTypeResourceNotFound, ErrorMessage: msg,
		})
		return
	}
	rec.target = s.startExecution(name, qualifier, h, u.Payload, opts.TenantID, &invokeLink{exec: e, opID: rec.op.ID})
	details.DurableExecutionArn = rec.target.arn
	e.opEvent(rec, EventChainedInvokeStarted, details)
}

// completeChainedInvoke reports a finished target execution to the
// operation that invoked it.
func (s *Service) completeChainedInvoke(target *Execution) {
	caller := target.caller.exec
	rec := caller.ops[target.caller.opID]
	if rec.op.Status != protocol.StatusStarted || caller.status != ExecutionRunning {
		return
	}
	status := map[string]protocol.OperationStatus{
		ExecutionSucceeded: protocol.StatusSucceeded,
		ExecutionFailed:    protocol.StatusFailed,
		ExecutionTimedOut:  protocol.StatusTimedOut,
		ExecutionStopped:   protocol.StatusStopped,
	}[target.status]
	s.endChainedInvoke(caller, rec, status, target.result, target.failure)
	s.wake(caller)
}

// endChainedInvoke moves a CHAINED_INVOKE operation to a terminal status
// and records its event.
func (s *Service) endChainedInvoke(e *Execution, rec *opRecord, status protocol.OperationStatus, result *string, failure *protocol.ErrorObject) {
	rec.op.ChainedInvokeDetails = &protocol.ChainedInvokeDetails{Result: cloneString(result), Error: cloneError(failure)}
	e.end(rec, status)
	d := EventDetails{}
	if status == protocol.StatusSucceeded {
		d.Result = payloadOf(result)
	} else if failure != nil {
		d.Error = errorOf(failure)
	}
	e.opEvent(rec, EventType("ChainedInvoke"+eventVerb(string(status))), d)
}
