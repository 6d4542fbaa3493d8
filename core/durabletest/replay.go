package durabletest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// ErrInvalidHistory reports a history ReplayHistory cannot replay: not the
// JSON of GetDurableExecutionHistory, one page of several (NextMarker
// set), no ExecutionStarted event, or payloads left out (fetch histories
// with IncludeExecutionData=true).
var ErrInvalidHistory = errors.New("durabletest: invalid execution history")

// ReplayError is the error of ReplayHistory for a handler that does not
// replay a recorded history. Err is a *durable.NonDeterministicError
// naming the first operation that differs (errors.As reaches it) or, for a
// replay that completed, the difference in the execution's result.
type ReplayError struct {
	// Invocation is the 1-based invocation of the history whose replay
	// diverged; the last one stands for the whole recorded state.
	Invocation  int
	Invocations int
	Err         error
}

// Error names the invocation being replayed and the underlying failure.
func (e *ReplayError) Error() string {
	return fmt.Sprintf("durabletest: replaying invocation %d of %d: %v", e.Invocation, e.Invocations, e.Err)
}

// Unwrap returns the underlying failure, for errors.Is and errors.As.
func (e *ReplayError) Unwrap() error { return e.Err }

// ReplayHistory checks that fn, the current code of a durable function,
// replays a recorded execution: history is the JSON that
// GetDurableExecutionHistory returns (with IncludeExecutionData=true; an
// object with "Events", or the bare array of events, every page of it, in
// either order), as Execution.History produces it too.
//
// For each invocation of the history it rebuilds the operations the
// invocation started from, and re-executes fn on them without side
// effects: no step body runs, nothing is checkpointed, no service is
// called, no plugin is called. Every durable call must meet the recorded operation
// of the same type, subtype and name; the first one that does not is
// reported as a *durable.NonDeterministicError inside a *ReplayError
// (operation id, its context and position, recorded and called
// operation). A final replay on everything recorded also reports recorded
// operations the code no longer calls and, for an execution that
// succeeded or failed, a different result or an operation the code now
// calls after the last recorded one. Run it in CI on histories of executions that may still
// be running when the new code is deployed:
//
//	func TestReplaysProductionHistories(t *testing.T) {
//		data, _ := os.ReadFile("testdata/order-42.history.json")
//		if err := durabletest.ReplayHistory(t.Context(), data, orders.Function()); err != nil {
//			t.Fatal(err)
//		}
//	}
//
// A child context, map or parallel whose result was too large to
// checkpoint (ReplayChildren) is replayed from its children, whose code is
// then checked too. Limit: the history does not say which contexts those
// are; ReplayHistory recognises the default empty summary and the summary
// of a map or parallel, not one made by WithResultSummary, whose replay
// then fails to decode it.
func ReplayHistory(ctx context.Context, history []byte, fn *durable.Function) error {
	switch {
	case fn == nil:
		return errors.New("durabletest: ReplayHistory was given a nil function")
	case ctx == nil:
		return errNilContext
	}
	events, err := decodeHistory(history)
	if err != nil {
		return err
	}
	states, final, err := statesFromHistory(events)
	if err != nil {
		return err
	}
	n := len(states)
	rctx := testhook.WithReplayCheck(ctx)
	for i, ev := range states {
		if _, err := fn.HandleEvent(rctx, ev); err != nil {
			return &ReplayError{Invocation: i + 1, Invocations: n, Err: err}
		}
	}
	out, err := fn.HandleEvent(rctx, final.event)
	if err != nil {
		return &ReplayError{Invocation: n, Invocations: n, Err: err}
	}
	if err := final.compare(out); err != nil {
		return &ReplayError{Invocation: n, Invocations: n, Err: err}
	}
	return nil
}

func decodeHistory(b []byte) ([]Event, error) {
	events, err := decodeEvents(b)
	if err != nil {
		return nil, err
	}
	// A history fetched with ReverseOrder=true lists the newest event
	// first; EventIds, when every event has one, give the order back.
	if !slices.ContainsFunc(events, func(ev Event) bool { return ev.EventID <= 0 }) {
		slices.SortStableFunc(events, func(a, b Event) int { return cmp.Compare(a.EventID, b.EventID) })
	}
	return events, nil
}

func decodeEvents(b []byte) ([]Event, error) {
	var events []Event
	if trimmed := strings.TrimSpace(string(b)); strings.HasPrefix(trimmed, "[") {
		if err := json.Unmarshal(b, &events); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidHistory, err)
		}
		return events, nil
	}
	var page struct {
		Events     []Event
		NextMarker string
	}
	if err := json.Unmarshal(b, &page); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidHistory, err)
	}
	if page.NextMarker != "" {
		return nil, fmt.Errorf("%w: one page of a longer history (NextMarker %q): fetch every page and join their Events", ErrInvalidHistory, page.NextMarker)
	}
	return page.Events, nil
}

// recordedEnd is how the recorded execution ended, if it did.
type recordedEnd struct {
	event  *protocol.InvocationEvent
	execID string
	status string // "" while running
	result *string
	err    *protocol.ErrorObject
}

// compare checks a completed replay's output against the recorded end.
func (r recordedEnd) compare(out *protocol.InvocationOutput) error {
	if r.status == "" || out == nil {
		return nil
	}
	if out.Status == protocol.InvocationPending {
		// A stop or a timeout ends an execution whatever it waits for;
		// one that returned did not wait for anything more.
		if r.status != ExecutionSucceeded && r.status != ExecutionFailed {
			return nil
		}
		return &durable.NonDeterministicError{OperationID: r.execID,
			Recorded: "an execution ending " + r.status,
			Called:   "an operation the history does not record, after everything it records"}
	}
	recorded, replayed := r.status, string(out.Status)
	if recorded == ExecutionSucceeded && replayed == ExecutionSucceeded && out.Result != nil && r.result != nil {
		if jsonEqual(*out.Result, *r.result) {
			return nil
		}
		recorded, replayed = "result "+*r.result, "result "+*out.Result
	} else if recorded == replayed {
		return nil
	}
	if r.err != nil {
		recorded += " " + r.err.ErrorType
	}
	if out.Error != nil {
		replayed += " " + out.Error.ErrorType + ": " + out.Error.ErrorMessage
	}
	return &durable.NonDeterministicError{OperationID: r.execID,
		Recorded: "an execution ending " + recorded, Called: "an execution ending " + replayed}
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

// serviceSide lists the events the service records on its own, between
// invocations: they belong to the state the next invocation starts from.
var serviceSide = map[EventType]bool{
	EventWaitSucceeded: true, EventCallbackSucceeded: true, EventCallbackFailed: true, EventCallbackTimedOut: true,
	EventChainedInvokeSucceeded: true, EventChainedInvokeFailed: true, EventChainedInvokeTimedOut: true,
	EventChainedInvokeStopped: true,
}

// statesFromHistory folds the events into operation records and returns
// the state each invocation started from, and the whole recorded state.
func statesFromHistory(events []Event) ([]*protocol.InvocationEvent, recordedEnd, error) {
	b := &historyState{ops: map[string]*protocol.Operation{}}
	var states []*protocol.InvocationEvent
	var end recordedEnd
	open := true // a new invocation starts at the next handler event
	for i, ev := range events {
		if ev.EventType == EventExecutionStarted {
			b.execID = ev.ID
		}
		if b.execID == "" {
			return nil, end, fmt.Errorf("%w: event %d (%s) comes before ExecutionStarted", ErrInvalidHistory, i+1, ev.EventType)
		}
		handlerEvent := ev.EventType != EventInvocationCompleted && !serviceSide[ev.EventType] && !executionEvent(ev.EventType)
		if open && handlerEvent {
			states = append(states, b.event())
			open = false
		}
		switch ev.EventType {
		case EventInvocationCompleted:
			if open {
				states = append(states, b.event()) // an invocation that recorded nothing
			}
			open = true
			continue
		case EventExecutionSucceeded, EventExecutionFailed, EventExecutionTimedOut, EventExecutionStopped:
			end.status = strings.ToUpper(strings.TrimPrefix(string(ev.EventType), "Execution"))
			if ev.EventType == EventExecutionTimedOut {
				end.status = ExecutionTimedOut
			}
			end.result, end.err = payload(ev.Details.Result), errorPayload(ev.Details.Error)
			continue
		}
		if err := b.apply(ev); err != nil {
			return nil, end, fmt.Errorf("%w: event %d: %w", ErrInvalidHistory, ev.EventID, err)
		}
	}
	if b.execID == "" {
		return nil, end, fmt.Errorf("%w: no ExecutionStarted event", ErrInvalidHistory)
	}
	end.event, end.execID = b.event(), b.execID
	return states, end, nil
}

// executionEvent reports whether t is an event of the EXECUTION operation:
// its start, or its end, which follows the InvocationCompleted of the
// invocation that completed it or, for a timeout or a stop, happens
// between invocations. Neither begins an invocation.
func executionEvent(t EventType) bool {
	switch t {
	case EventExecutionStarted, EventExecutionSucceeded, EventExecutionFailed, EventExecutionTimedOut, EventExecutionStopped:
		return true
	}
	return false
}

type historyState struct {
	execID string
	order  []string
	ops    map[string]*protocol.Operation
}

func (b *historyState) event() *protocol.InvocationEvent {
	ops := make([]protocol.Operation, 0, len(b.order))
	for _, id := range b.order {
		ops = append(ops, cloneOperation(*b.ops[id]))
	}
	return &protocol.InvocationEvent{
		DurableExecutionArn:   arnPrefix + "replay:$LATEST/durable-execution/replay/" + b.execID,
		CheckpointToken:       "replay",
		InitialExecutionState: &protocol.ExecutionState{Operations: ops},
	}
}

var typeOfEvent = []struct {
	prefix string
	typ    protocol.OperationType
}{
	{"ChainedInvoke", protocol.OperationTypeChainedInvoke},
	{"Execution", protocol.OperationTypeExecution},
	{"Context", protocol.OperationTypeContext},
	{"Callback", protocol.OperationTypeCallback},
	{"Step", protocol.OperationTypeStep},
	{"Wait", protocol.OperationTypeWait},
}

func (b *historyState) apply(ev Event) error {
	var typ protocol.OperationType
	var verb string
	for _, t := range typeOfEvent {
		if v, ok := strings.CutPrefix(string(ev.EventType), t.prefix); ok {
			typ, verb = t.typ, v
			break
		}
	}
	if typ == "" {
		return fmt.Errorf("unknown event type %q", ev.EventType)
	}
	if ev.ID == "" {
		return fmt.Errorf("%s event without Id", ev.EventType)
	}
	rec := b.ops[ev.ID]
	if rec == nil {
		rec = &protocol.Operation{ID: ev.ID, ParentID: ev.ParentID, Name: ev.Name, Type: typ, SubType: ev.SubType}
		if typ == protocol.OperationTypeChainedInvoke && rec.SubType == "" {
			rec.SubType = protocol.SubTypeChainedInvoke
		}
		b.ops[ev.ID] = rec
		b.order = append(b.order, ev.ID)
	}
	if err := checkTruncated(ev); err != nil {
		return err
	}
	d := ev.Details
	result, failure := payload(d.Result), errorPayload(d.Error)
	switch typ {
	case protocol.OperationTypeExecution:
		rec.Status = protocol.StatusStarted
		rec.ExecutionDetails = &protocol.ExecutionDetails{InputPayload: payload(d.Input)}
		return nil
	case protocol.OperationTypeStep:
		sd := &protocol.StepDetails{}
		if rec.StepDetails != nil {
			*sd = *rec.StepDetails
		}
		rec.StepDetails = sd
		if verb == "Started" {
			rec.Status = protocol.StatusStarted
			return nil
		}
		if r := d.RetryDetails; r != nil {
			sd.Attempt = r.CurrentAttempt
		}
		sd.Result, sd.Error = result, failure
		switch {
		case d.RetryDetails != nil && d.RetryDetails.NextAttemptDelaySeconds > 0:
			rec.Status = protocol.StatusPending
		case verb == "Succeeded":
			rec.Status = protocol.StatusSucceeded
		default:
			rec.Status = protocol.StatusFailed
		}
		return nil
	}
	switch verb {
	case "Started":
		rec.Status = protocol.StatusStarted
	case "Succeeded":
		rec.Status = protocol.StatusSucceeded
	case "Failed":
		rec.Status = protocol.StatusFailed
	case "TimedOut":
		rec.Status = protocol.StatusTimedOut
	case "Stopped":
		rec.Status = protocol.StatusStopped
	case "Cancelled":
		rec.Status = protocol.StatusCancelled
	default:
		return fmt.Errorf("unknown event type %q", ev.EventType)
	}
	switch typ {
	case protocol.OperationTypeContext:
		rec.ContextDetails = &protocol.ContextDetails{Result: result, Error: failure}
		// The history does not carry ContextOptions.ReplayChildren. A
		// context whose result was too large to checkpoint stored a
		// summary instead: the default one, an empty payload, where any
		// JSON result has at least one byte, or a map's or parallel's,
		// which names its type. Replay such a context from its children,
		// as the service's state would say.
		if verb == "Succeeded" && (result == nil || *result == "" || isBatchSummary(rec.SubType, *result)) {
			rec.ContextDetails.ReplayChildren = true
		}
	case protocol.OperationTypeWait:
		if verb == "Started" && !d.ScheduledEndTimestamp.IsZero() {
			rec.WaitDetails = &protocol.WaitDetails{ScheduledEndTimestamp: protocol.TimestampOf(d.ScheduledEndTimestamp)}
		}
	case protocol.OperationTypeCallback:
		id := d.CallbackID
		if rec.CallbackDetails != nil && id == "" {
			id = rec.CallbackDetails.CallbackID
		}
		rec.CallbackDetails = &protocol.CallbackDetails{CallbackID: id, Result: result, Error: failure}
	case protocol.OperationTypeChainedInvoke:
		rec.ChainedInvokeDetails = &protocol.ChainedInvokeDetails{Result: result, Error: failure}
	}
	return nil
}

func checkTruncated(ev Event) error {
	d := ev.Details
	for _, p := range []*EventPayload{d.Input, d.Result} {
		if p != nil && p.Truncated && p.Payload == nil {
			return fmt.Errorf("%s payload left out: fetch the history with IncludeExecutionData=true", ev.EventType)
		}
	}
	if d.Error != nil && d.Error.Truncated && d.Error.Payload == nil {
		return fmt.Errorf("%s error left out: fetch the history with IncludeExecutionData=true", ev.EventType)
	}
	return nil
}

func payload(p *EventPayload) *string {
	if p == nil {
		return nil
	}
	return p.Payload
}

func errorPayload(e *EventError) *protocol.ErrorObject {
	if e == nil {
		return nil
	}
	return e.Payload
}

// isBatchSummary reports whether result is the summary a map or parallel
// checkpoints in place of a result too large to store: a JSON object
// whose "type" is "MapResult" or "ParallelResult" (a BatchResult's own
// JSON has no such field).
func isBatchSummary(subType, result string) bool {
	if subType != protocol.SubTypeMap && subType != protocol.SubTypeParallel {
		return false
	}
	var s struct {
		Type string `json:"type"`
	}
	if json.Unmarshal([]byte(result), &s) != nil {
		return false
	}
	return s.Type == "MapResult" || s.Type == "ParallelResult"
}
