package durabletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// EventType names a history event, as GetDurableExecutionHistory does.
type EventType string

// History event types (protocol §9.1).
const (
	EventExecutionStarted       EventType = "ExecutionStarted"
	EventExecutionSucceeded     EventType = "ExecutionSucceeded"
	EventExecutionFailed        EventType = "ExecutionFailed"
	EventExecutionTimedOut      EventType = "ExecutionTimedOut"
	EventExecutionStopped       EventType = "ExecutionStopped"
	EventContextStarted         EventType = "ContextStarted"
	EventContextSucceeded       EventType = "ContextSucceeded"
	EventContextFailed          EventType = "ContextFailed"
	EventStepStarted            EventType = "StepStarted"
	EventStepSucceeded          EventType = "StepSucceeded"
	EventStepFailed             EventType = "StepFailed"
	EventWaitStarted            EventType = "WaitStarted"
	EventWaitSucceeded          EventType = "WaitSucceeded"
	EventWaitCancelled          EventType = "WaitCancelled"
	EventCallbackStarted        EventType = "CallbackStarted"
	EventCallbackSucceeded      EventType = "CallbackSucceeded"
	EventCallbackFailed         EventType = "CallbackFailed"
	EventCallbackTimedOut       EventType = "CallbackTimedOut"
	EventChainedInvokeStarted   EventType = "ChainedInvokeStarted"
	EventChainedInvokeSucceeded EventType = "ChainedInvokeSucceeded"
	EventChainedInvokeFailed    EventType = "ChainedInvokeFailed"
	EventChainedInvokeTimedOut  EventType = "ChainedInvokeTimedOut"
	EventChainedInvokeStopped   EventType = "ChainedInvokeStopped"
	EventInvocationCompleted    EventType = "InvocationCompleted"
)

// Event is one entry of an execution's history. Its JSON form is exactly
// an event of GetDurableExecutionHistory with execution data included:
// top-level EventId, EventType, EventTimestamp, SubType, Id, Name and
// ParentId (absent when empty), and one details object named after the
// event type (e.g. "StepSucceededDetails") holding the fields the protocol
// lists for that type. Timestamps are JSON numbers of epoch seconds, as in
// the REST API.
type Event struct {
	EventID        int
	EventType      EventType
	EventTimestamp time.Time
	// SubType is the operation's sub-type; empty on Execution*,
	// ChainedInvoke* and InvocationCompleted events.
	SubType string
	// ID is the operation id; for Execution* events, the EXECUTION
	// operation's id. Empty on InvocationCompleted.
	ID       string
	Name     string
	ParentID string
	Details  EventDetails
}

// EventDetails holds the fields of an event's details object. Only the
// fields of the event's type are meaningful and marshalled.
type EventDetails struct {
	// Input: ExecutionStarted, ChainedInvokeStarted.
	Input *EventPayload
	// Result: StepSucceeded and every *Succeeded event.
	Result *EventPayload
	// Error: StepFailed, *Failed, *TimedOut, *Stopped, WaitCancelled, and
	// InvocationCompleted when the invocation crashed.
	Error *EventError
	// RetryDetails: StepSucceeded, StepFailed.
	RetryDetails *RetryDetails

	ExecutionTimeout      int       // ExecutionStarted, seconds
	Duration              int       // WaitStarted, WaitSucceeded, seconds
	ScheduledEndTimestamp time.Time // WaitStarted

	CallbackID       string // CallbackStarted
	Timeout          int    // CallbackStarted, seconds (0 = none)
	HeartbeatTimeout int    // CallbackStarted, seconds (0 = none)

	FunctionName        string // ChainedInvokeStarted
	ExecutedVersion     string // ChainedInvokeStarted
	DurableExecutionArn string // ChainedInvokeStarted: the target's execution
	TenantID            string // ChainedInvokeStarted, when set

	StartTimestamp time.Time // InvocationCompleted
	EndTimestamp   time.Time // InvocationCompleted
	RequestID      string    // InvocationCompleted
}

// EventPayload wraps a serialized payload in a history event.
type EventPayload struct {
	Payload   *string `json:"Payload,omitempty"`
	Truncated bool    `json:"Truncated"`
}

// EventError wraps an error in a history event.
type EventError struct {
	Payload   *protocol.ErrorObject `json:"Payload,omitempty"`
	Truncated bool                  `json:"Truncated"`
}

// RetryDetails tells which attempt a step event closes.
type RetryDetails struct {
	// CurrentAttempt is the 1-based attempt that just finished.
	CurrentAttempt int `json:"CurrentAttempt"`
	// NextAttemptDelaySeconds is set when the step will be retried.
	NextAttemptDelaySeconds int `json:"NextAttemptDelaySeconds,omitempty"`
}

// detailScalars lists, per event type, the non-pointer detail fields its
// JSON carries (pointer fields are carried whenever they are set).
var detailScalars = map[EventType][]string{
	EventExecutionStarted:     {"ExecutionTimeout"},
	EventWaitStarted:          {"Duration", "ScheduledEndTimestamp"},
	EventWaitSucceeded:        {"Duration"},
	EventCallbackStarted:      {"CallbackId", "Timeout", "HeartbeatTimeout"},
	EventChainedInvokeStarted: {"FunctionName", "ExecutedVersion", "DurableExecutionArn?", "TenantId?"},
	EventInvocationCompleted:  {"StartTimestamp", "EndTimestamp", "RequestId"},
}

// MarshalJSON encodes the event in the GetDurableExecutionHistory shape.
func (e Event) MarshalJSON() ([]byte, error) {
	head := struct {
		EventID        int             `json:"EventId"`
		EventType      EventType       `json:"EventType"`
		EventTimestamp json.RawMessage `json:"EventTimestamp"`
		SubType        string          `json:"SubType,omitempty"`
		ID             string          `json:"Id,omitempty"`
		Name           string          `json:"Name,omitempty"`
		ParentID       string          `json:"ParentId,omitempty"`
	}{e.EventID, e.EventType, epochSeconds(e.EventTimestamp), e.SubType, e.ID, e.Name, e.ParentID}
	b, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	details, err := e.Details.marshal(e.EventType)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(b[:len(b)-1])
	fmt.Fprintf(&out, ",%q:", string(e.EventType)+"Details")
	out.Write(details)
	out.WriteByte('}')
	return out.Bytes(), nil
}

func (d EventDetails) marshal(t EventType) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	add := func(key string, v any) error {
		enc, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t, key, err)
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:", key)
		b.Write(enc)
		return nil
	}
	for _, key := range detailScalars[t] {
		key, optional := strings.CutSuffix(key, "?")
		v := d.scalar(key)
		if optional && v == "" {
			continue
		}
		if err := add(key, v); err != nil {
			return nil, err
		}
	}
	pointers := []struct {
		key string
		set bool
		v   any
	}{
		{"Input", d.Input != nil, d.Input},
		{"Result", d.Result != nil, d.Result},
		{"Error", d.Error != nil, d.Error},
		{"RetryDetails", d.RetryDetails != nil, d.RetryDetails},
	}
	for _, p := range pointers {
		if !p.set {
			continue
		}
		if err := add(p.key, p.v); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (d EventDetails) scalar(key string) any {
	switch key {
	case "ExecutionTimeout":
		return d.ExecutionTimeout
	case "Duration":
		return d.Duration
	case "ScheduledEndTimestamp":
		return epochSeconds(d.ScheduledEndTimestamp)
	case "CallbackId":
		return d.CallbackID
	case "Timeout":
		return d.Timeout
	case "HeartbeatTimeout":
		return d.HeartbeatTimeout
	case "FunctionName":
		return d.FunctionName
	case "ExecutedVersion":
		return d.ExecutedVersion
	case "DurableExecutionArn":
		return d.DurableExecutionArn
	case "TenantId":
		return d.TenantID
	case "StartTimestamp":
		return epochSeconds(d.StartTimestamp)
	case "EndTimestamp":
		return epochSeconds(d.EndTimestamp)
	case "RequestId":
		return d.RequestID
	}
	panic("durabletest: unknown detail field " + key)
}

// UnmarshalJSON decodes an event in the GetDurableExecutionHistory shape,
// so histories can be read back from JSON (golden files, REST responses).
func (e *Event) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var head struct {
		EventID        int       `json:"EventId"`
		EventType      EventType `json:"EventType"`
		EventTimestamp seconds   `json:"EventTimestamp"`
		SubType        string    `json:"SubType"`
		ID             string    `json:"Id"`
		Name           string    `json:"Name"`
		ParentID       string    `json:"ParentId"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	*e = Event{EventID: head.EventID, EventType: head.EventType, EventTimestamp: head.EventTimestamp.Time,
		SubType: head.SubType, ID: head.ID, Name: head.Name, ParentID: head.ParentID}
	details, ok := raw[string(head.EventType)+"Details"]
	if !ok {
		return nil
	}
	var d struct {
		Input, Result                 *EventPayload
		Error                         *EventError
		RetryDetails                  *RetryDetails
		ExecutionTimeout, Duration    int
		Timeout, HeartbeatTimeout     int
		ScheduledEndTimestamp         seconds
		StartTimestamp, EndTimestamp  seconds
		CallbackID                    string `json:"CallbackId"`
		FunctionName, ExecutedVersion string
		DurableExecutionArn           string
		TenantID                      string `json:"TenantId"`
		RequestID                     string `json:"RequestId"`
	}
	if err := json.Unmarshal(details, &d); err != nil {
		return fmt.Errorf("%sDetails: %w", head.EventType, err)
	}
	e.Details = EventDetails{
		Input: d.Input, Result: d.Result, Error: d.Error, RetryDetails: d.RetryDetails,
		ExecutionTimeout: d.ExecutionTimeout, Duration: d.Duration, ScheduledEndTimestamp: d.ScheduledEndTimestamp.Time,
		CallbackID: d.CallbackID, Timeout: d.Timeout, HeartbeatTimeout: d.HeartbeatTimeout,
		FunctionName: d.FunctionName, ExecutedVersion: d.ExecutedVersion,
		DurableExecutionArn: d.DurableExecutionArn, TenantID: d.TenantID,
		StartTimestamp: d.StartTimestamp.Time, EndTimestamp: d.EndTimestamp.Time, RequestID: d.RequestID,
	}
	return nil
}

// epochSeconds encodes t as a JSON number of epoch seconds with
// millisecond precision; the zero time becomes null.
func epochSeconds(t time.Time) json.RawMessage {
	if t.IsZero() {
		return json.RawMessage("null")
	}
	return json.RawMessage(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
}

// seconds decodes a JSON number of epoch seconds.
type seconds struct{ time.Time }

func (s *seconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %s: not a number of epoch seconds", b)
	}
	s.Time = time.UnixMilli(int64(math.Round(f * 1000))).UTC()
	return nil
}

// payloadOf wraps an optional serialized payload.
func payloadOf(s *string) *EventPayload {
	if s == nil {
		return &EventPayload{}
	}
	v := *s
	return &EventPayload{Payload: &v}
}

// errorOf wraps an optional error object.
func errorOf(e *protocol.ErrorObject) *EventError {
	return &EventError{Payload: cloneError(e)}
}
