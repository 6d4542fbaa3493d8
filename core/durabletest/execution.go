package durabletest

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Execution statuses, as Execution.Status reports them.
const (
	ExecutionRunning   = "RUNNING"
	ExecutionSucceeded = "SUCCEEDED"
	ExecutionFailed    = "FAILED"
	ExecutionTimedOut  = "TIMED_OUT"
	ExecutionStopped   = "STOPPED"
)

// Fixed parts of the ARNs the service makes up.
const (
	arnPrefix      = "arn:aws:lambda:us-east-1:123456789012:function:"
	latestVersion  = "$LATEST"
	maxWaitSeconds = 31_622_400
)

// Execution is one durable execution held by the in-memory service: the
// runner's own (Runner.Start) or one started by a chained invoke. Its
// methods drive and inspect it; all are safe for concurrent use (the
// driving ones take turns, see Runner.Start), but never drive it
// (RunUntilIdle, Advance, RunToCompletion) from inside a handler.
type Execution struct {
	svc      *Service
	handler  Handler
	function string
	version  string
	arn      string
	id       string // the EXECUTION operation's id, the ARN's last segment
	tenantID string
	crash    func(invocation int, u protocol.OperationUpdate) bool

	status  string
	result  *string
	failure *protocol.ErrorObject

	ops     map[string]*opRecord
	opList  []*opRecord // start order
	seq     uint64      // bumped on every operation change
	seenSeq uint64      // seq the handler has been told about

	token      string // the one valid checkpoint token; "" when none
	tokenInv   *invocation
	current    *invocation // the invocation running now, if any
	due        bool        // an invocation is due (after current ends)
	queued     bool
	pendingEnd *Event // Execution* event waiting for InvocationCompleted

	answers answers // checkpoints applied under a ClientToken, for repeats

	cursors   map[string][]protocol.Operation // NextMarker → rest of a listing
	cursorSeq int

	history     eventLog
	invocations []Invocation
	timers      []*timer
	caller      *invokeLink // set when a chained invoke started this execution
	stats       Stats

	logMu sync.Mutex
	logs  []LogRecord
}

// opRecord is one operation plus what the service keeps beside it.
type opRecord struct {
	op      protocol.Operation
	changed uint64 // Execution.seq of the last change

	waitSeconds      int
	waitEnd          *timer // the end of a wait
	timeout          *timer // callback timeout
	heartbeat        *timer // callback heartbeat timeout
	heartbeatSeconds int
	target           *Execution // chained invoke target
}

// invocation is one Lambda call of an execution's handler.
type invocation struct {
	exec      *Execution
	index     int
	requestID string
	start     time.Time
	crashed   bool
	abandoned bool     // the runner stopped waiting for it (callUntilDone)
	alarms    []*alarm // its runtime's waits for the clock (sleep.go)
}

// startExecution creates an execution of function fn and makes its first
// invocation due.
func (s *Service) startExecution(fn, version string, h Handler, input *string, tenantID string, caller *invokeLink) *Execution {
	if version == "" {
		version = latestVersion
	}
	name := s.ids.uuid("execution-name")
	id := s.ids.uuid("execution")
	now := s.clock.now
	e := &Execution{
		svc: s, handler: h, function: fn, version: version, tenantID: tenantID,
		arn:    fmt.Sprintf("%s%s:%s/durable-execution/%s/%s", arnPrefix, fn, version, name, id),
		id:     id,
		status: ExecutionRunning,
		ops:    map[string]*opRecord{},
		caller: caller,
	}
	if caller == nil {
		e.crash = s.cfg.crash
	}
	e.addOp(protocol.Operation{
		ID: id, Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted,
		StartTimestamp:   protocol.TimestampOf(now),
		ExecutionDetails: &protocol.ExecutionDetails{InputPayload: cloneString(input)},
	})
	timeout := s.cfg.executionTimeout
	e.emit(Event{EventType: EventExecutionStarted, ID: id, Details: EventDetails{
		Input: payloadOf(input), ExecutionTimeout: int(timeout / time.Second)}})
	e.schedule(now.Add(timeout), true, func() {
		s.finish(e, ExecutionTimedOut, nil, &protocol.ErrorObject{
			ErrorType: ErrorTypeExecutionTimeout, ErrorMessage: "Execution timed out after " + timeout.String()})
	})
	s.executions[e.arn] = e
	s.order = append(s.order, e)
	s.wake(e)
	return e
}

// schedule arms a timer that dies with the execution.
func (e *Execution) schedule(at time.Time, background bool, fire func()) *timer {
	t := e.svc.clock.schedule(at, background, func() {
		if e.status == ExecutionRunning {
			fire()
		}
	})
	e.timers = append(e.timers, t)
	return t
}

// finish makes e terminal. Inside an invocation, the ExecutionSucceeded
// or ExecutionFailed of a completion the invocation checkpointed waits
// until its InvocationCompleted (protocol §9.2); a stop or a timeout is
// recorded when it happens.
func (s *Service) finish(e *Execution, status string, result *string, failure *protocol.ErrorObject) {
	if e.status != ExecutionRunning {
		return
	}
	e.status, e.result, e.failure = status, cloneString(result), cloneError(failure)
	e.token = ""
	e.due = false
	for _, t := range e.timers {
		t.cancel()
	}
	e.timers = nil
	rec := e.ops[e.id]
	rec.op.Status = protocol.OperationStatus(status)
	rec.op.EndTimestamp = protocol.TimestampOf(s.clock.now)
	e.touch(rec)

	ev := Event{EventType: EventType("Execution" + eventVerb(status)), ID: e.id}
	if status == ExecutionSucceeded {
		ev.Details.Result = payloadOf(result)
	} else {
		ev.Details.Error = errorOf(failure)
	}
	if e.current != nil && (status == ExecutionSucceeded || status == ExecutionFailed) {
		ev.EventTimestamp = s.clock.now
		e.pendingEnd = &ev
	} else {
		e.emit(ev)
	}
	if e.caller != nil {
		s.completeChainedInvoke(e)
	}
}

// eventVerb maps a terminal status to the suffix of its event type.
func eventVerb(status string) string {
	switch status {
	case ExecutionSucceeded:
		return "Succeeded"
	case ExecutionFailed:
		return "Failed"
	case ExecutionTimedOut:
		return "TimedOut"
	case ExecutionStopped:
		return "Stopped"
	}
	panic("durabletest: no event for status " + status)
}

func (e *Execution) addOp(op protocol.Operation) *opRecord {
	rec := &opRecord{op: op}
	e.ops[op.ID] = rec
	e.opList = append(e.opList, rec)
	e.touch(rec)
	return rec
}

// touch marks rec as changed, so the next checkpoint response carries it.
func (e *Execution) touch(rec *opRecord) {
	e.seq++
	rec.changed = e.seq
}

// changedSince lists, in start order, the operations changed after seq.
// The copies are shallow: records are never changed through their
// pointers (a change replaces the details, timestamps or payloads), so
// what a response shares with the service stays as it was sent.
func (e *Execution) changedSince(seq uint64) []protocol.Operation {
	n := 0
	for _, rec := range e.opList {
		if rec.changed > seq {
			n++
		}
	}
	ops := make([]protocol.Operation, 0, n)
	for _, rec := range e.opList {
		if rec.changed > seq {
			ops = append(ops, rec.op)
		}
	}
	return ops
}

// visibleOperations is the state a new invocation loads: every operation
// except descendants of a completed CONTEXT that did not ask to replay its
// children (protocol §6.1). The copies are shallow, as in changedSince.
func (e *Execution) visibleOperations() []protocol.Operation {
	ops := make([]protocol.Operation, 0, len(e.opList))
	for _, rec := range e.opList {
		if e.visible(rec) {
			ops = append(ops, rec.op)
		}
	}
	return ops
}

func (e *Execution) visible(rec *opRecord) bool {
	for p := rec.op.ParentID; p != ""; {
		parent, ok := e.ops[p]
		if !ok {
			return true
		}
		if parent.op.Status.Terminal() && (parent.op.ContextDetails == nil || !parent.op.ContextDetails.ReplayChildren) {
			return false
		}
		p = parent.op.ParentID
	}
	return true
}

// page returns the first size operations and, when more remain, a marker
// under which GetExecutionState continues the listing.
func (e *Execution) page(ops []protocol.Operation, size int) protocol.ExecutionState {
	if size <= 0 || len(ops) <= size {
		return protocol.ExecutionState{Operations: ops}
	}
	if e.cursors == nil {
		e.cursors = map[string][]protocol.Operation{}
	}
	e.cursorSeq++
	marker := "page-" + strconv.Itoa(e.cursorSeq)
	e.cursors[marker] = ops[size:]
	return protocol.ExecutionState{Operations: ops[:size], NextMarker: marker}
}

// listing returns what a state read with marker pages through: the
// current state without marker, else the rest of an earlier listing.
func (e *Execution) listing(marker string) ([]protocol.Operation, bool) {
	if marker == "" {
		return e.visibleOperations(), true
	}
	ops, ok := e.cursors[marker]
	return ops, ok
}

// outstanding reports whether some operation can still complete and
// justify a PENDING invocation outcome (protocol §1.3).
func (e *Execution) outstanding() bool {
	for _, rec := range e.opList {
		switch rec.op.Type {
		case protocol.OperationTypeStep:
			if rec.op.Status == protocol.StatusPending || rec.op.Status == protocol.StatusReady {
				return true
			}
		case protocol.OperationTypeWait, protocol.OperationTypeCallback, protocol.OperationTypeChainedInvoke:
			if rec.op.Status == protocol.StatusStarted || rec.op.Status == protocol.StatusPending {
				return true
			}
		}
	}
	return false
}

// cloneOperation deep-copies op so that callers never share the
// service's records.
func cloneOperation(op protocol.Operation) protocol.Operation {
	op.StartTimestamp, op.EndTimestamp = cloneTime(op.StartTimestamp), cloneTime(op.EndTimestamp)
	if d := op.ExecutionDetails; d != nil {
		op.ExecutionDetails = &protocol.ExecutionDetails{InputPayload: cloneString(d.InputPayload)}
	}
	if d := op.ContextDetails; d != nil {
		op.ContextDetails = &protocol.ContextDetails{ReplayChildren: d.ReplayChildren,
			Result: cloneString(d.Result), Error: cloneError(d.Error)}
	}
	if d := op.StepDetails; d != nil {
		op.StepDetails = &protocol.StepDetails{Attempt: d.Attempt, NextAttemptTimestamp: cloneTime(d.NextAttemptTimestamp),
			Result: cloneString(d.Result), Error: cloneError(d.Error)}
	}
	if d := op.WaitDetails; d != nil {
		op.WaitDetails = &protocol.WaitDetails{ScheduledEndTimestamp: cloneTime(d.ScheduledEndTimestamp)}
	}
	if d := op.CallbackDetails; d != nil {
		op.CallbackDetails = &protocol.CallbackDetails{CallbackID: d.CallbackID,
			Result: cloneString(d.Result), Error: cloneError(d.Error)}
	}
	if d := op.ChainedInvokeDetails; d != nil {
		op.ChainedInvokeDetails = &protocol.ChainedInvokeDetails{Result: cloneString(d.Result), Error: cloneError(d.Error)}
	}
	return op
}

func cloneTime(t *protocol.Timestamp) *protocol.Timestamp {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
