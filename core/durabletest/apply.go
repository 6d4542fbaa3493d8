package durabletest

import (
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// apply performs one validated update: it changes the operation, records
// the history event and arms the timers the new status needs.
func (s *Service) apply(e *Execution, u protocol.OperationUpdate) {
	switch u.Type {
	case protocol.OperationTypeExecution:
		s.applyExecution(e, u)
	case protocol.OperationTypeStep:
		s.applyStep(e, u)
	case protocol.OperationTypeContext:
		s.applyContext(e, u)
	case protocol.OperationTypeWait:
		s.applyWait(e, u)
	case protocol.OperationTypeCallback:
		s.startCallback(e, u)
	case protocol.OperationTypeChainedInvoke:
		s.applyChainedInvoke(e, u)
	}
}

// applyExecution completes the execution from a checkpoint, the way SDKs
// return results too large for the Lambda response (protocol §1.4).
func (s *Service) applyExecution(e *Execution, u protocol.OperationUpdate) {
	if u.Action == protocol.ActionSucceed {
		s.finish(e, ExecutionSucceeded, u.Payload, nil)
		return
	}
	s.finish(e, ExecutionFailed, nil, u.Error)
}

// newOp creates the record an update STARTs.
func (e *Execution) newOp(u protocol.OperationUpdate) *opRecord {
	return e.addOp(protocol.Operation{
		ID: u.ID, ParentID: u.ParentID, Name: u.Name, Type: u.Type, SubType: u.SubType,
		Status: protocol.StatusStarted, StartTimestamp: protocol.TimestampOf(e.svc.clock.now),
	})
}

// end moves rec to a terminal status.
func (e *Execution) end(rec *opRecord, status protocol.OperationStatus) {
	rec.op.Status = status
	rec.op.EndTimestamp = protocol.TimestampOf(e.svc.clock.now)
	e.touch(rec)
}

func (s *Service) applyStep(e *Execution, u protocol.OperationUpdate) {
	rec := e.ops[u.ID]
	if u.Action == protocol.ActionStart {
		if rec == nil {
			rec = e.newOp(u)
			rec.op.StepDetails = &protocol.StepDetails{}
		} else {
			rec.op.Status = protocol.StatusStarted
			d := *rec.op.StepDetails
			d.NextAttemptTimestamp = nil
			rec.op.StepDetails = &d
			e.touch(rec)
		}
		e.opEvent(rec, EventStepStarted, EventDetails{})
		return
	}
	// Every other action closes an attempt.
	d := *rec.op.StepDetails
	d.Attempt++
	d.NextAttemptTimestamp = nil
	d.Result, d.Error = cloneString(u.Payload), cloneError(u.Error)
	rec.op.StepDetails = &d
	retry := &RetryDetails{CurrentAttempt: d.Attempt}
	switch u.Action {
	case protocol.ActionSucceed:
		e.end(rec, protocol.StatusSucceeded)
		e.resultEvent(rec, EventStepSucceeded, d.Result, retry)
	case protocol.ActionFail:
		e.end(rec, protocol.StatusFailed)
		e.errorEvent(rec, EventStepFailed, u.Error, retry)
	case protocol.ActionRetry:
		s.retryStep(e, rec, u, retry)
	}
}

// retryStep parks the step in PENDING until its next attempt is due, then
// makes it READY and re-invokes the execution (protocol §7.1).
func (s *Service) retryStep(e *Execution, rec *opRecord, u protocol.OperationUpdate, retry *RetryDetails) {
	delay := u.StepOptions.NextAttemptDelaySeconds
	due := s.clock.now.Add(time.Duration(delay) * time.Second)
	rec.op.Status = protocol.StatusPending
	d := *rec.op.StepDetails // records are copied shallowly: never change what they point to
	d.NextAttemptTimestamp = protocol.TimestampOf(due)
	rec.op.StepDetails = &d
	e.touch(rec)
	retry.NextAttemptDelaySeconds = delay
	switch {
	case u.Payload != nil:
		e.resultEvent(rec, EventStepSucceeded, d.Result, retry)
	case u.Error != nil:
		e.errorEvent(rec, EventStepFailed, u.Error, retry)
	default:
		e.opEvent(rec, EventStepFailed, EventDetails{RetryDetails: retry})
	}
	e.schedule(due, false, func() {
		if rec.op.Status != protocol.StatusPending {
			return
		}
		rec.op.Status = protocol.StatusReady
		e.touch(rec)
		s.wake(e)
	})
}

func (s *Service) applyContext(e *Execution, u protocol.OperationUpdate) {
	if u.Action == protocol.ActionStart {
		e.opEvent(e.newOp(u), EventContextStarted, EventDetails{})
		return
	}
	rec := e.ops[u.ID]
	d := &protocol.ContextDetails{Result: cloneString(u.Payload), Error: cloneError(u.Error)}
	if u.ContextOptions != nil {
		d.ReplayChildren = u.ContextOptions.ReplayChildren
	}
	rec.op.ContextDetails = d
	if u.Action == protocol.ActionSucceed {
		e.end(rec, protocol.StatusSucceeded)
		e.resultEvent(rec, EventContextSucceeded, d.Result, nil)
		return
	}
	e.end(rec, protocol.StatusFailed)
	e.errorEvent(rec, EventContextFailed, u.Error, nil)
}

// applyWait starts a timer that completes the wait (protocol §8.1), or
// cancels it.
func (s *Service) applyWait(e *Execution, u protocol.OperationUpdate) {
	if u.Action == protocol.ActionCancel {
		rec := e.ops[u.ID]
		rec.waitEnd.cancel()
		e.end(rec, protocol.StatusCancelled)
		var errDetails *EventError
		if u.Error != nil {
			errDetails = errorOf(u.Error)
		}
		e.opEvent(rec, EventWaitCancelled, EventDetails{Error: errDetails})
		return
	}
	rec := e.newOp(u)
	rec.waitSeconds = u.WaitOptions.WaitSeconds
	end := s.clock.now.Add(time.Duration(rec.waitSeconds) * time.Second)
	rec.op.WaitDetails = &protocol.WaitDetails{ScheduledEndTimestamp: protocol.TimestampOf(end)}
	e.opEvent(rec, EventWaitStarted, EventDetails{Duration: rec.waitSeconds, ScheduledEndTimestamp: end})
	rec.waitEnd = e.schedule(end, false, func() {
		if rec.op.Status != protocol.StatusStarted {
			return
		}
		e.end(rec, protocol.StatusSucceeded)
		e.opEvent(rec, EventWaitSucceeded, EventDetails{Duration: rec.waitSeconds})
		s.wake(e)
	})
}
