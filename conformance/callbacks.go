package conformance

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/durable-go/durable-go/core/protocol"
)

// errNoMatchingAction is recorded when a callback appears that no unused
// action names.
var errNoMatchingAction = errors.New("no matching callback action")

// callbackActions tracks which CallbackActions have been used.
type callbackActions struct {
	actions []CallbackAction
	used    []bool
}

func newCallbackActions(actions []CallbackAction) *callbackActions {
	return &callbackActions{actions: actions, used: make([]bool, len(actions))}
}

// take returns the first unused action whose name (after substitution) is
// '*', equals name, or is a ${/PATTERN/} found in name, and marks it used.
func (c *callbackActions) take(name string, b *Bindings) (CallbackAction, error) {
	for i, a := range c.actions {
		if c.used[i] {
			continue
		}
		ok, err := callbackNameMatches(b.Substitute(a.CallbackName), name)
		if err != nil {
			return CallbackAction{}, fmt.Errorf("CallbackActions[%d]: %w", i, err)
		}
		if ok {
			c.used[i] = true
			return a, nil
		}
	}
	return CallbackAction{}, fmt.Errorf("callback %q: %w", name, errNoMatchingAction)
}

func callbackNameMatches(pattern, name string) (bool, error) {
	if pattern == "*" || pattern == name {
		return true, nil
	}
	if len(pattern) >= 5 && strings.HasPrefix(pattern, "${/") && strings.HasSuffix(pattern, "/}") {
		re, err := regexp.Compile(pattern[3 : len(pattern)-2])
		if err != nil {
			return false, fmt.Errorf("invalid CallbackName pattern %q: %w", pattern, err)
		}
		return re.MatchString(name), nil
	}
	return false, nil
}

// successPayload is the Result sent with a success action: the payload's
// JSON text in the reference runner's formatting, or nil for no payload.
func successPayload(a CallbackAction, b *Bindings) []byte {
	if !a.HasPayload {
		return nil
	}
	return []byte(PythonJSON(b.substituteDeep(a.Payload)))
}

// failurePayload is the Error sent with a failure action: the ErrorType,
// ErrorMessage, ErrorData and StackTrace keys of a mapping payload.
func failurePayload(a CallbackAction, b *Bindings) (protocol.ErrorObject, error) {
	var e protocol.ErrorObject
	if !a.HasPayload || a.Payload == nil {
		return e, nil
	}
	m, ok := b.substituteDeep(a.Payload).(*Map)
	if !ok {
		return e, fmt.Errorf("failure payload %s is not a mapping", show(a.Payload))
	}
	if v, ok := m.Get("ErrorType"); ok && v != nil {
		e.ErrorType = stringForm(v)
	}
	if v, ok := m.Get("ErrorMessage"); ok && v != nil {
		e.ErrorMessage = stringForm(v)
	}
	if v, ok := m.Get("ErrorData"); ok && v != nil {
		e.ErrorData = stringForm(v)
	}
	if v, ok := m.Get("StackTrace"); ok && v != nil {
		e.StackTrace = stackTrace(v)
	}
	return e, nil
}

func stackTrace(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return []string{stringForm(v)}
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = stringForm(e)
	}
	return out
}
