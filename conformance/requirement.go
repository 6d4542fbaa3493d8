package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Requirement is one parsed requirement file, <suite>/<id>.yaml. Only the
// keys that drive checks or behaviour are interpreted; the prose keys and
// any unknown key stay available in Raw.
type Requirement struct {
	ID          string // file name without .yaml, e.g. "4-7"
	Suite       string // directory name, e.g. "callback"
	Path        string // file the requirement was read from, if any
	Description string

	Variables []Variable
	Input     any
	// AsyncInvoke selects the asynchronous path with its polling loop.
	AsyncInvoke bool
	// Optional marks a requirement whose failure does not block a run.
	Optional bool
	// ExpectedResult is nil when the file has no ExpectedResult.
	ExpectedResult *ExpectedResult
	// ExpectedHistory holds the ExpectedExecutionHistory entries as written.
	ExpectedHistory []any
	CallbackActions []CallbackAction
	// ExpectedLogs holds the ExpectedLogs entries as written; they are
	// validated when checked, so a malformed entry fails its requirement.
	ExpectedLogs []any
	// PollInterval and NoProgressTimeout drive the async loop
	// (AsyncConfig, defaulting to 2 s and 30 s).
	PollInterval      time.Duration
	NoProgressTimeout time.Duration

	Raw *Map
}

// ExpectedResult is the final status and result a requirement expects.
type ExpectedResult struct {
	ExecutionStatus string // empty when the key is absent
	// HasResult tells an explicit null Result apart from an absent one.
	HasResult bool
	Result    any
}

// CallbackAction is what the validator does when a callback appears.
type CallbackAction struct {
	CallbackName string
	Operation    string // success, failure or heartbeat (any case)
	HasPayload   bool
	Payload      any
	Delay        time.Duration
}

// Default async polling parameters of the reference runner.
const (
	DefaultPollInterval      = 2 * time.Second
	DefaultNoProgressTimeout = 30 * time.Second
)

// ParseRequirement parses the YAML text of the requirement id of suite.
func ParseRequirement(suite, id string, data []byte) (*Requirement, error) {
	v, err := parseYAML(data)
	if err != nil {
		return nil, fmt.Errorf("requirement %s: %w", id, err)
	}
	top, ok := v.(*Map)
	if !ok {
		return nil, fmt.Errorf("requirement %s: top level is not a mapping", id)
	}
	r := &Requirement{
		ID: id, Suite: suite, Raw: top,
		PollInterval:      DefaultPollInterval,
		NoProgressTimeout: DefaultNoProgressTimeout,
	}
	if err := r.fill(top); err != nil {
		return nil, fmt.Errorf("requirement %s: %w", id, err)
	}
	return r, nil
}

func (r *Requirement) fill(top *Map) error {
	r.Description = optString(top, "description")
	r.Input, _ = top.Get("Input")
	r.AsyncInvoke = optBool(top, "AsyncInvoke")
	r.Optional = optBool(top, "optional")
	steps := []func(*Map) error{
		r.fillVariables, r.fillResult, r.fillHistory,
		r.fillCallbacks, r.fillLogs, r.fillAsyncConfig,
	}
	for _, step := range steps {
		if err := step(top); err != nil {
			return err
		}
	}
	return nil
}

func (r *Requirement) fillVariables(top *Map) error {
	v, ok := top.Get("Variables")
	if !ok || v == nil {
		return nil
	}
	m, ok := v.(*Map)
	if !ok {
		return errors.New("Variables is not a mapping")
	}
	for _, k := range m.keys {
		if !placeholderRE.MatchString("${" + k + "}") {
			return fmt.Errorf("Variables: %q is not an identifier", k)
		}
		r.Variables = append(r.Variables, Variable{Name: k, Value: m.vals[k]})
	}
	return nil
}

func (r *Requirement) fillResult(top *Map) error {
	v, ok := top.Get("ExpectedResult")
	if !ok || v == nil {
		return nil
	}
	m, ok := v.(*Map)
	if !ok {
		return errors.New("ExpectedResult is not a mapping")
	}
	r.ExpectedResult = &ExpectedResult{}
	if s, ok := m.Get("ExecutionStatus"); ok && s != nil {
		r.ExpectedResult.ExecutionStatus = stringForm(s)
	}
	r.ExpectedResult.Result, r.ExpectedResult.HasResult = m.Get("Result")
	return nil
}

func (r *Requirement) fillHistory(top *Map) error {
	v, ok := top.Get("ExpectedExecutionHistory")
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return errors.New("ExpectedExecutionHistory is not a list")
	}
	r.ExpectedHistory = list
	return nil
}

func (r *Requirement) fillLogs(top *Map) error {
	v, ok := top.Get("ExpectedLogs")
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return errors.New("ExpectedLogs is not a list")
	}
	r.ExpectedLogs = list
	return nil
}

func (r *Requirement) fillCallbacks(top *Map) error {
	v, ok := top.Get("CallbackActions")
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return errors.New("CallbackActions is not a list")
	}
	for i, e := range list {
		a, err := parseCallbackAction(e)
		if err != nil {
			return fmt.Errorf("CallbackActions[%d]: %w", i, err)
		}
		r.CallbackActions = append(r.CallbackActions, a)
	}
	return nil
}

func parseCallbackAction(v any) (CallbackAction, error) {
	m, ok := v.(*Map)
	if !ok {
		return CallbackAction{}, errors.New("not a mapping")
	}
	var a CallbackAction
	name, ok := m.Get("CallbackName")
	if !ok || name == nil {
		return a, errors.New("CallbackName is required")
	}
	op, ok := m.Get("Operation")
	if !ok || op == nil {
		return a, errors.New("Operation is required")
	}
	a.CallbackName, a.Operation = stringForm(name), stringForm(op)
	a.Payload, a.HasPayload = m.Get("Payload")
	if d, ok := m.Get("Delay"); ok && d != nil {
		secs, err := seconds(d)
		if err != nil {
			return a, fmt.Errorf("Delay: %w", err)
		}
		a.Delay = secs
	}
	return a, nil
}

func (r *Requirement) fillAsyncConfig(top *Map) error {
	v, ok := top.Get("AsyncConfig")
	if !ok || v == nil {
		return nil
	}
	m, ok := v.(*Map)
	if !ok {
		return errors.New("AsyncConfig is not a mapping")
	}
	for key, dst := range map[string]*time.Duration{
		"PollIntervalSeconds":      &r.PollInterval,
		"NoProgressTimeoutSeconds": &r.NoProgressTimeout,
	} {
		if s, ok := m.Get(key); ok && s != nil {
			d, err := seconds(s)
			if err != nil {
				return fmt.Errorf("AsyncConfig.%s: %w", key, err)
			}
			*dst = d
		}
	}
	return nil
}

// seconds converts a non-negative number of seconds to a Duration.
func seconds(v any) (time.Duration, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%s is not a number", show(v))
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1e6 {
		return 0, fmt.Errorf("%s is not a valid number of seconds", n)
	}
	return time.Duration(f * float64(time.Second)), nil
}

func optString(m *Map, key string) string {
	v, ok := m.Get(key)
	if !ok || v == nil {
		return ""
	}
	return stringForm(v)
}

func optBool(m *Map, key string) bool {
	b, _ := m.Get(key)
	t, _ := b.(bool)
	return t
}
