package conformance

import (
	"fmt"
)

// MatchHistory checks the expected events against the actual history
// (FORMAT §6): each expected event selects the actual event with the same
// EventId and must match it field by field. Placeholders bind in b in the
// order events and keys are written. It returns the first *Mismatch.
func MatchHistory(expected []any, events []*Map, b *Bindings) error {
	byID := map[int]*Map{}
	last := 0
	for _, ev := range events {
		v, _ := ev.Get("EventId")
		if id, ok := intOf(v); ok {
			byID[id] = ev
			last = max(last, id)
		}
	}
	m := valueMatcher{b: b}
	for i, e := range expected {
		if err := matchEvent(m, i, e, byID, last); err != nil {
			return err
		}
	}
	return nil
}

func matchEvent(m valueMatcher, i int, e any, byID map[int]*Map, last int) error {
	exp, ok := e.(*Map)
	if !ok {
		return &Mismatch{Stage: fmt.Sprintf("history entry #%d", i+1), Msg: "not a mapping"}
	}
	idv, _ := exp.Get("EventId")
	id, ok := intOf(idv)
	if !ok {
		return &Mismatch{Stage: fmt.Sprintf("history entry #%d", i+1), Msg: fmt.Sprintf("EventId %s is not an integer", show(idv))}
	}
	act, ok := byID[id]
	if !ok {
		return &Mismatch{
			Stage: fmt.Sprintf("history EventId %d", id),
			Msg:   fmt.Sprintf("no such event (expected %s; the history ends at EventId %d)", eventType(exp), last),
		}
	}
	if res := m.matchMap("", exp, act); res != nil {
		res.Stage = fmt.Sprintf("history EventId %d (%s)", id, eventType(act))
		return res
	}
	return nil
}

func eventType(ev *Map) string {
	t, ok := ev.Get("EventType")
	if !ok {
		return "no EventType"
	}
	return stringForm(t)
}

// terminalEventTypes end an execution.
var terminalEventTypes = map[string]bool{
	"ExecutionSucceeded": true,
	"ExecutionFailed":    true,
	"ExecutionTimedOut":  true,
	"ExecutionStopped":   true,
	"ExecutionCancelled": true,
}

// hasTerminalEvent reports whether the history shows the execution ended.
func hasTerminalEvent(events []*Map) bool {
	for _, ev := range events {
		if t, _ := ev.Get("EventType"); terminalEventTypes[stringOrEmpty(t)] {
			return true
		}
	}
	return false
}

// inheritWaitForCallbackNames gives the unnamed CallbackStarted,
// StepStarted and StepSucceeded children of a wait-for-callback operation
// that operation's name (FORMAT §6.5). It changes events in place.
func inheritWaitForCallbackNames(events []*Map) {
	names := map[string]string{}
	for _, ev := range events {
		if sub, _ := ev.Get("SubType"); stringOrEmpty(sub) != "WaitForCallback" {
			continue
		}
		id, _ := ev.Get("Id")
		name, _ := ev.Get("Name")
		if s := stringOrEmpty(name); s != "" && stringOrEmpty(id) != "" {
			names[stringOrEmpty(id)] = s
		}
	}
	for _, ev := range events {
		switch t, _ := ev.Get("EventType"); stringOrEmpty(t) {
		case "CallbackStarted", "StepStarted", "StepSucceeded":
		default:
			continue
		}
		if name, _ := ev.Get("Name"); stringOrEmpty(name) != "" {
			continue
		}
		parent, _ := ev.Get("ParentId")
		if name, ok := names[stringOrEmpty(parent)]; ok {
			ev.Set("Name", name)
		}
	}
}

func stringOrEmpty(v any) string {
	s, _ := v.(string)
	return s
}

// ParseHistory decodes a JSON array of history events (or an object with
// an Events array, as GetDurableExecutionHistory returns).
func ParseHistory(data []byte) ([]*Map, error) {
	v, err := ParseJSON(data)
	if err != nil {
		return nil, err
	}
	if m, ok := v.(*Map); ok {
		v, _ = m.Get("Events")
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("history: expected a list of events, got %s", show(v))
	}
	events := make([]*Map, 0, len(list))
	for i, e := range list {
		ev, ok := e.(*Map)
		if !ok {
			return nil, fmt.Errorf("history: event #%d is not an object", i+1)
		}
		events = append(events, ev)
	}
	return events, nil
}
