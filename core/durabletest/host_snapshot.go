package durabletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// snapshot is the persisted form of an Execution: what a Host needs to
// carry it over a restart.
type snapshot struct {
	Function, Version, Arn, ID, TenantID string
	Status                               string
	Result                               *string               `json:",omitempty"`
	Failure                              *protocol.ErrorObject `json:",omitempty"`
	Operations                           []snapshotOp
	History                              []Event
	Invocations                          []snapshotInvocation
	CallerArn, CallerOp                  string `json:",omitempty"`
	// Due: an invocation was due or running when the snapshot was taken;
	// after a restart the execution is invoked again.
	Due   bool
	Stats Stats
}

type snapshotOp struct {
	Op               protocol.Operation
	WaitSeconds      int        `json:",omitempty"`
	HeartbeatSeconds int        `json:",omitempty"`
	TimeoutAt        *time.Time `json:",omitempty"`
	HeartbeatAt      *time.Time `json:",omitempty"`
	TargetArn        string     `json:",omitempty"`
}

type snapshotInvocation struct {
	Index      int
	RequestID  string
	Start, End time.Time
	Status     protocol.InvocationStatus
	Err        string `json:",omitempty"`
}

// Snapshot returns the execution's persisted form (JSON), from which
// Restore rebuilds it in another Host.
func (h *Host) Snapshot(arn string) ([]byte, error) {
	s := h.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookup(apiGetExecution, arn)
	if err != nil {
		return nil, err
	}
	snap := snapshot{Function: e.function, Version: e.version, Arn: e.arn, ID: e.id, TenantID: e.tenantID,
		Status: e.status, Result: e.result, Failure: e.failure, History: make([]Event, 0, e.history.len()), Stats: e.stats,
		Due: e.status == ExecutionRunning && (e.due || e.current != nil)}
	e.history.each(func(id int, h *histEvent) { snap.History = append(snap.History, h.event(id)) })
	if e.caller != nil {
		snap.CallerArn, snap.CallerOp = e.caller.exec.arn, e.caller.opID
	}
	for _, rec := range e.opList {
		so := snapshotOp{Op: rec.op, WaitSeconds: rec.waitSeconds, HeartbeatSeconds: rec.heartbeatSeconds}
		if t := rec.timeout; t != nil && !t.cancelled {
			so.TimeoutAt = &t.at
		}
		if t := rec.heartbeat; t != nil && !t.cancelled {
			so.HeartbeatAt = &t.at
		}
		if rec.target != nil {
			so.TargetArn = rec.target.arn
		}
		snap.Operations = append(snap.Operations, so)
	}
	for _, inv := range e.invocations {
		si := snapshotInvocation{Index: inv.Index, RequestID: inv.RequestID, Start: inv.Start, End: inv.End, Status: inv.Status}
		if inv.Err != nil {
			si.Err = inv.Err.Error()
		}
		snap.Invocations = append(snap.Invocations, si)
	}
	return json.Marshal(snap)
}

// ErrUnknownFunction is the invocation error of a restored execution
// whose function is no longer registered.
var ErrUnknownFunction = errors.New("durabletest: the execution's function is not registered")

// missingHandler stands in for a function that is no longer registered.
type missingHandler string

func (m missingHandler) Invoke(context.Context, []byte) ([]byte, error) {
	return nil, fmt.Errorf("%w: %s", ErrUnknownFunction, string(m))
}

// Restore rebuilds executions from snapshots taken by Snapshot (in any
// order), before Run: their timers are armed again (those already due
// fire at once), callbacks can be completed, chained invokes stay linked,
// and executions that had an invocation due or running are invoked
// again. Register the functions first.
func (h *Host) Restore(snapshots [][]byte) error {
	s := h.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	h.syncLocked()
	var snaps []snapshot
	for _, b := range snapshots {
		var snap snapshot
		if err := json.Unmarshal(b, &snap); err != nil {
			return fmt.Errorf("durabletest: restoring an execution: %w", err)
		}
		if _, dup := s.executions[snap.Arn]; dup {
			return fmt.Errorf("durabletest: execution %s restored twice", snap.Arn)
		}
		snaps = append(snaps, snap)
		h.restoreExecution(snap)
	}
	h.catchUpLocked(snaps)
	for _, snap := range snaps {
		e := s.executions[snap.Arn]
		if snap.CallerArn != "" {
			if caller, ok := s.executions[snap.CallerArn]; ok {
				e.caller = &invokeLink{exec: caller, opID: snap.CallerOp}
			}
		}
		for _, so := range snap.Operations {
			if so.TargetArn != "" {
				e.ops[so.Op.ID].target = s.executions[so.TargetArn]
			}
		}
	}
	for _, snap := range snaps {
		e := s.executions[snap.Arn]
		if e.status == ExecutionRunning {
			h.rearm(e, snap)
			if snap.Due {
				s.wake(e)
			}
		}
	}
	return nil
}

// catchUpLocked moves the service clock up to the latest event of the
// snapshots: a Host that skipped time ran ahead of the wall clock, and its
// executions must not see time go back after a restart.
func (h *Host) catchUpLocked(snaps []snapshot) {
	var latest time.Time
	for _, snap := range snaps {
		for _, ev := range snap.History {
			if ev.EventTimestamp.After(latest) {
				latest = ev.EventTimestamp
			}
		}
	}
	if now := h.svc.clock.now; latest.After(now) {
		h.offset += latest.Sub(now)
		h.svc.clock.now = latest
	}
}

func (h *Host) restoreExecution(snap snapshot) {
	s := h.svc
	handler, ok := s.cfg.functions[snap.Function]
	if !ok {
		handler = missingHandler(snap.Function)
	}
	e := &Execution{svc: s, handler: handler, function: snap.Function, version: snap.Version, arn: snap.Arn, id: snap.ID,
		tenantID: snap.TenantID, status: snap.Status, result: snap.Result, failure: snap.Failure,
		ops: map[string]*opRecord{}, stats: snap.Stats}
	for _, so := range snap.Operations {
		rec := e.addOp(so.Op)
		rec.waitSeconds, rec.heartbeatSeconds = so.WaitSeconds, so.HeartbeatSeconds
		if d := so.Op.CallbackDetails; d != nil && d.CallbackID != "" {
			s.callbacks[d.CallbackID] = callbackRef{exec: e, opID: so.Op.ID}
		}
	}
	for _, ev := range snap.History { // after the operations, which the events refer to
		e.emit(ev)
	}
	e.seenSeq = e.seq
	for _, si := range snap.Invocations {
		inv := Invocation{Index: si.Index, RequestID: si.RequestID, Start: si.Start, End: si.End, Status: si.Status}
		if si.Err != "" {
			inv.Err = errors.New(si.Err)
		}
		e.invocations = append(e.invocations, inv)
	}
	s.executions[e.arn] = e
	s.order = append(s.order, e)
}

// rearm schedules again the timers a running execution had: waits
// ending, retries coming due, callback timeouts and the execution
// timeout.
func (h *Host) rearm(e *Execution, snap snapshot) {
	s := h.svc
	timeout := s.cfg.executionTimeout
	e.schedule(e.ops[e.id].op.StartTimestamp.Add(timeout), true, func() {
		s.finish(e, ExecutionTimedOut, nil, &protocol.ErrorObject{
			ErrorType: ErrorTypeExecutionTimeout, ErrorMessage: "Execution timed out after " + timeout.String()})
	})
	for _, so := range snap.Operations {
		rec := e.ops[so.Op.ID]
		op := rec.op
		switch {
		case op.Type == protocol.OperationTypeWait && op.Status == protocol.StatusStarted && op.WaitDetails != nil:
			rec.waitEnd = e.schedule(op.WaitDetails.ScheduledEndTimestamp.Time, false, func() {
				if rec.op.Status == protocol.StatusStarted {
					e.end(rec, protocol.StatusSucceeded)
					e.opEvent(rec, EventWaitSucceeded, EventDetails{Duration: rec.waitSeconds})
					s.wake(e)
				}
			})
		case op.Type == protocol.OperationTypeStep && op.Status == protocol.StatusPending && op.StepDetails != nil && op.StepDetails.NextAttemptTimestamp != nil:
			e.schedule(op.StepDetails.NextAttemptTimestamp.Time, false, func() {
				if rec.op.Status == protocol.StatusPending {
					rec.op.Status = protocol.StatusReady
					e.touch(rec)
					s.wake(e)
				}
			})
		case op.Type == protocol.OperationTypeCallback && op.Status == protocol.StatusStarted:
			if so.TimeoutAt != nil {
				rec.timeout = e.schedule(*so.TimeoutAt, false, func() {
					s.timeOutCallback(e, rec, ErrorTypeCallbackTimeout, "Callback timed out")
				})
			}
			if so.HeartbeatAt != nil {
				rec.heartbeat = e.schedule(*so.HeartbeatAt, false, func() {
					s.timeOutCallback(e, rec, ErrorTypeCallbackHeartbeat, "Callback heartbeat timed out")
				})
			}
		}
	}
}
