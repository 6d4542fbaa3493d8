package durabletest

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// apply performs one validated update: it changes the operation, records
// the history event and arms the timers the new status needs.
func (s *Service) apply(e *Execution, u durable.OperationUpdate) {
	switch u.Type {
	case durable.OperationTypeExecution:
		s.applyExecution(e, u)
	case durable.OperationTypeStep:
		s.applyStep(e, u)
	case durable.OperationTypeContext:
		s.applyContext(e, u)
	case durable.OperationTypeWait:
		s.applyWait(e, u)
	case durable.OperationTypeCallback:
		s.startCallback(e, u)
	case durable.OperationTypeChainedInvoke:
		s.applyChainedInvoke(e, u)
	}
}

// applyExecution completes the execution from a checkpoint, the way SDKs
// return results too large for the Lambda response (protocol §1.4).
func (s *Service) applyExecution(e *Execution, u durable.OperationUpdate) {
	if u.Action == durable.ActionSucceed {
		s.finish(e, ExecutionSucceeded, u.Payload, nil)
		return
	}
	s.finish(e, ExecutionFailed, nil, u.Error)
}

// newOp creates the record an update STARTs.
func (e *Execution) newOp(u durable.OperationUpdate) *opRecord {
	return e.addOp(durable.Operation{
		ID: u.ID, ParentID: u.ParentID, Name: u.Name, Type: u.Type, SubType: u.SubType,
		Status: durable.StatusStarted, StartTimestamp: durable.TimestampOf(e.svc.clock.now),
	})
}

// end moves rec to a terminal status.
func (e *Execution) end(rec *opRecord, status durable.OperationStatus) {
	rec.op.Status = status
	rec.op.EndTimestamp = durable.TimestampOf(e.svc.clock.now)
	e.touch(rec)
}

func (s *Service) applyStep(e *Execution, u durable.OperationUpdate) {
	rec := e.ops[u.ID]
	if u.Action == durable.ActionStart {
		if rec == nil {
			rec = e.newOp(u)
			rec.op.StepDetails = &durable.StepDetails{}
		} else {
			rec.op.Status = durable.StatusStarted
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
	case durable.ActionSucceed:
		e.end(rec, durable.StatusSucceeded)
		e.opEvent(rec, EventStepSucceeded, EventDetails{Result: payloadOf(u.Payload), RetryDetails: retry})
	case durable.ActionFail:
		e.end(rec, durable.StatusFailed)
		e.opEvent(rec, EventStepFailed, EventDetails{Error: errorOf(u.Error), RetryDetails: retry})
	case durable.ActionRetry:
		s.retryStep(e, rec, u, retry)
	}
}

// retryStep parks the step in PENDING until its next attempt is due, then
// makes it READY and re-invokes the execution (protocol §7.1).
func (s *Service) retryStep(e *Execution, rec *opRecord, u durable.OperationUpdate, retry *RetryDetails) {
	delay := u.StepOptions.NextAttemptDelaySeconds
	due := s.clock.now.Add(time.Duration(delay) * time.Second)
	rec.op.Status = durable.StatusPending
	rec.op.StepDetails.NextAttemptTimestamp = durable.TimestampOf(due)
	e.touch(rec)
	retry.NextAttemptDelaySeconds = delay
	if u.Payload != nil {
		e.opEvent(rec, EventStepSucceeded, EventDetails{Result: payloadOf(u.Payload), RetryDetails: retry})
	} else {
		var errDetails *EventError
		if u.Error != nil {
			errDetails = errorOf(u.Error)
		}
		e.opEvent(rec, EventStepFailed, EventDetails{Error: errDetails, RetryDetails: retry})
	}
	e.schedule(due, false, func() {
		if rec.op.Status != durable.StatusPending {
			return
		}
		rec.op.Status = durable.StatusReady
		e.touch(rec)
		s.wake(e)
	})
}

func (s *Service) applyContext(e *Execution, u durable.OperationUpdate) {
	if u.Action == durable.ActionStart {
		e.opEvent(e.newOp(u), EventContextStarted, EventDetails{})
		return
	}
	rec := e.ops[u.ID]
	d := &durable.ContextDetails{Result: cloneString(u.Payload), Error: cloneError(u.Error)}
	if u.ContextOptions != nil {
		d.ReplayChildren = u.ContextOptions.ReplayChildren
	}
	rec.op.ContextDetails = d
	if u.Action == durable.ActionSucceed {
		e.end(rec, durable.StatusSucceeded)
		e.opEvent(rec, EventContextSucceeded, EventDetails{Result: payloadOf(u.Payload)})
		return
	}
	e.end(rec, durable.StatusFailed)
	e.opEvent(rec, EventContextFailed, EventDetails{Error: errorOf(u.Error)})
}

// applyWait starts a timer that completes the wait (protocol §8.1), or
// cancels it.
func (s *Service) applyWait(e *Execution, u durable.OperationUpdate) {
	if u.Action == durable.ActionCancel {
		rec := e.ops[u.ID]
		e.end(rec, durable.StatusCancelled)
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
	rec.op.WaitDetails = &durable.WaitDetails{ScheduledEndTimestamp: durable.TimestampOf(end)}
	e.opEvent(rec, EventWaitStarted, EventDetails{Duration: rec.waitSeconds, ScheduledEndTimestamp: end})
	e.schedule(end, false, func() {
		if rec.op.Status != durable.StatusStarted {
			return
		}
		e.end(rec, durable.StatusSucceeded)
		e.opEvent(rec, EventWaitSucceeded, EventDetails{Duration: rec.waitSeconds})
		s.wake(e)
	})
}
