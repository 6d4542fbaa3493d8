package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// poll is the asynchronous path (FORMAT §5.3) on the virtual clock: each
// iteration advances the clock by the poll interval, reads the history,
// stops at a terminal event or after the no-progress timeout, performs
// callback actions and, without ExpectedResult, stops as soon as the
// history matches. It returns the last history and whether it matched.
func (v *validation) poll(ctx context.Context, exec execution) ([]*Map, bool) {
	var events []*Map
	cb := &callbackState{actions: newCallbackActions(v.req.CallbackActions), handled: map[string]bool{}}
	seen, lastGrowth := 0, exec.Clock()
	for i := 0; ; i++ {
		if i >= v.cfg.maxPolls {
			v.fail(fmt.Errorf("gave up after %d polls (%s of virtual time); the history keeps growing", i, exec.Clock().Sub(lastGrowth)))
			return events, false
		}
		if err := ctx.Err(); err != nil {
			v.fail(fmt.Errorf("polling stopped: %w", err))
			return events, false
		}
		if err := exec.Advance(ctx, v.req.PollInterval); err != nil {
			v.fail(fmt.Errorf("advance clock: %w", err))
			return events, false
		}
		var err error
		if events, err = exec.Events(); err != nil {
			v.fail(err)
			return events, false
		}
		inheritWaitForCallbackNames(events)
		if hasTerminalEvent(events) {
			return events, false
		}
		if len(events) > seen {
			seen, lastGrowth = len(events), exec.Clock()
		} else if idle := exec.Clock().Sub(lastGrowth); idle >= v.req.NoProgressTimeout {
			v.fail(fmt.Errorf("no new events for %s (history stuck at %d events, last %s)", idle, len(events), lastEventType(events)))
			return events, false
		}
		v.handleCallbacks(ctx, exec, events, cb)
		if v.req.ExpectedResult == nil && MatchHistory(v.req.ExpectedHistory, events, v.b) == nil {
			return events, true
		}
	}
}

func lastEventType(events []*Map) string {
	if len(events) == 0 {
		return "none"
	}
	return eventType(events[len(events)-1])
}

// callbackState is what the polling loop remembers about callbacks.
type callbackState struct {
	actions *callbackActions
	handled map[string]bool // by CallbackId
}

// handleCallbacks performs an action for every CallbackStarted event not
// handled yet, in history order (FORMAT §8).
func (v *validation) handleCallbacks(ctx context.Context, exec execution, events []*Map, cb *callbackState) {
	for _, ev := range events {
		if t, _ := ev.Get("EventType"); t != any("CallbackStarted") {
			continue
		}
		id := callbackID(ev)
		if id == "" || cb.handled[id] {
			continue
		}
		name, _ := ev.Get("Name")
		if len(v.req.CallbackActions) == 0 {
			cb.handled[id] = true // deliberately left open (timeout requirements)
			continue
		}
		a, err := cb.actions.take(stringOrEmpty(name), v.b)
		if err != nil {
			v.fail(err)
			cb.handled[id] = true
			continue
		}
		cb.handled[id] = v.perform(ctx, exec, id, stringOrEmpty(name), a)
	}
}

// perform sends one action and reports whether it settled the callback;
// a heartbeat does not, so the callback is looked at again next poll.
func (v *validation) perform(ctx context.Context, exec execution, id, name string, a CallbackAction) bool {
	if a.Delay > 0 {
		if err := exec.Advance(ctx, a.Delay); err != nil {
			v.fail(fmt.Errorf("callback %q (%s): delay: %w", name, id, err))
		}
	}
	var err error
	op := strings.ToLower(a.Operation)
	switch op {
	case "success":
		err = exec.SendCallbackSuccess(ctx, id, successPayload(a, v.b))
	case "failure":
		e, perr := failurePayload(a, v.b)
		if err = perr; err == nil {
			err = exec.SendCallbackFailure(ctx, id, e)
		}
	case "heartbeat":
		err = exec.SendCallbackHeartbeat(ctx, id)
	default:
		err = errors.New("unknown Operation (want success, failure or heartbeat)")
	}
	if err != nil {
		v.fail(fmt.Errorf("callback %q (%s): %s: %w", name, id, op, err))
	}
	return op != "heartbeat"
}

func callbackID(ev *Map) string {
	d, _ := ev.Get("CallbackStartedDetails")
	dm, _ := d.(*Map)
	id, _ := dm.Get("CallbackId")
	return stringOrEmpty(id)
}
