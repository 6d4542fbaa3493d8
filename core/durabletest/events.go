package durabletest

import (
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// histEvent is how an execution keeps a history event: what the event
// adds to its operation's record. Id, Name, ParentId and SubType come from
// the record and the details of the common outcome events are kept
// inline, so that an event costs no allocation of its own; History builds
// the full Event.
type histEvent struct {
	at      time.Time
	typ     EventType
	rec     *opRecord // the operation; nil on InvocationCompleted
	result  *string   // Details.Result's payload, with hasResult
	err     *protocol.ErrorObject
	attempt int32 // Details.RetryDetails, with hasRetry
	delay   int32
	flags   uint8
	more    *EventDetails // the other details, when there are any
}

const (
	hasResult = 1 << iota
	hasError
	hasRetry
)

// eventLog stores events in chunks that are never copied as it grows.
type eventLog struct {
	chunks [][]histEvent
	n      int
}

const maxEventChunk = 1024

func (l *eventLog) add(ev histEvent) {
	if k := len(l.chunks); k == 0 || len(l.chunks[k-1]) == cap(l.chunks[k-1]) {
		l.chunks = append(l.chunks, make([]histEvent, 0, min(max(16, l.n), maxEventChunk)))
	}
	k := len(l.chunks) - 1
	l.chunks[k] = append(l.chunks[k], ev)
	l.n++
}

func (l *eventLog) len() int { return l.n }

// each calls f with every event and its 1-based EventId, in order.
func (l *eventLog) each(f func(id int, ev *histEvent)) {
	id := 0
	for _, c := range l.chunks {
		for i := range c {
			id++
			f(id, &c[i])
		}
	}
}

// emit appends ev to the history, numbering and timestamping it.
func (e *Execution) emit(ev Event) {
	h := histEvent{typ: ev.EventType, at: ev.EventTimestamp}
	if ev.ID != "" {
		h.rec = e.ops[ev.ID]
	}
	if ev.Details != (EventDetails{}) {
		d := ev.Details
		h.more = &d
	}
	e.record(h)
}

func (e *Execution) record(h histEvent) {
	if h.at.IsZero() {
		h.at = e.svc.clock.now
	}
	e.history.add(h)
}

// opEvent is an event about rec's operation.
func (e *Execution) opEvent(rec *opRecord, t EventType, d EventDetails) {
	h := histEvent{typ: t, rec: rec}
	if d != (EventDetails{}) {
		h.more = &d
	}
	e.record(h)
}

// resultEvent is an event about rec's operation whose details are a
// Result holding payload, and RetryDetails when retry is set.
func (e *Execution) resultEvent(rec *opRecord, t EventType, payload *string, retry *RetryDetails) {
	h := histEvent{typ: t, rec: rec, result: payload, flags: hasResult}
	h.retry(retry)
	e.record(h)
}

// errorEvent is an event about rec's operation whose details are an
// Error holding failure, and RetryDetails when retry is set.
func (e *Execution) errorEvent(rec *opRecord, t EventType, failure *protocol.ErrorObject, retry *RetryDetails) {
	h := histEvent{typ: t, rec: rec, err: cloneError(failure), flags: hasError}
	h.retry(retry)
	e.record(h)
}

func (h *histEvent) retry(r *RetryDetails) {
	if r != nil {
		h.attempt, h.delay = int32(r.CurrentAttempt), int32(r.NextAttemptDelaySeconds)
		h.flags |= hasRetry
	}
}

// event builds the full, independent Event of h.
func (h *histEvent) event(id int) Event {
	ev := Event{EventID: id, EventType: h.typ, EventTimestamp: h.at}
	if r := h.rec; r != nil {
		ev.ID, ev.Name, ev.ParentID = r.op.ID, r.op.Name, r.op.ParentID
		if r.op.Type != protocol.OperationTypeChainedInvoke {
			ev.SubType = r.op.SubType
		}
	}
	if h.more != nil {
		ev.Details = cloneDetails(*h.more)
	}
	if h.flags&hasResult != 0 {
		ev.Details.Result = &EventPayload{Payload: cloneString(h.result)}
	}
	if h.flags&hasError != 0 {
		ev.Details.Error = &EventError{Payload: cloneError(h.err)}
	}
	if h.flags&hasRetry != 0 {
		ev.Details.RetryDetails = &RetryDetails{CurrentAttempt: int(h.attempt), NextAttemptDelaySeconds: int(h.delay)}
	}
	return ev
}
