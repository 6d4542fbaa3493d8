package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// OperationType is the kind of a checkpointed operation.
type OperationType string

// Operation types of the durable execution protocol.
const (
	OperationTypeExecution     OperationType = "EXECUTION"
	OperationTypeContext       OperationType = "CONTEXT"
	OperationTypeStep          OperationType = "STEP"
	OperationTypeWait          OperationType = "WAIT"
	OperationTypeCallback      OperationType = "CALLBACK"
	OperationTypeChainedInvoke OperationType = "CHAINED_INVOKE"
)

// OperationStatus is the state of a checkpointed operation.
type OperationStatus string

// Operation statuses of the durable execution protocol.
const (
	StatusStarted   OperationStatus = "STARTED"
	StatusPending   OperationStatus = "PENDING"
	StatusReady     OperationStatus = "READY"
	StatusSucceeded OperationStatus = "SUCCEEDED"
	StatusFailed    OperationStatus = "FAILED"
	StatusCancelled OperationStatus = "CANCELLED"
	StatusTimedOut  OperationStatus = "TIMED_OUT"
	StatusStopped   OperationStatus = "STOPPED"
)

// Terminal reports whether s is a final status (SUCCEEDED, FAILED,
// CANCELLED, TIMED_OUT or STOPPED).
func (s OperationStatus) Terminal() bool {
	switch s {
	case StatusSucceeded, StatusFailed, StatusCancelled, StatusTimedOut, StatusStopped:
		return true
	}
	return false
}

// Known reports whether s is one of the statuses the protocol defines.
func (s OperationStatus) Known() bool {
	switch s {
	case StatusStarted, StatusPending, StatusReady:
		return true
	}
	return s.Terminal()
}

// OperationAction is what an OperationUpdate asks the service to do.
type OperationAction string

// Operation actions of the checkpoint API.
const (
	ActionStart   OperationAction = "START"
	ActionSucceed OperationAction = "SUCCEED"
	ActionFail    OperationAction = "FAIL"
	ActionRetry   OperationAction = "RETRY"
	ActionCancel  OperationAction = "CANCEL"
)

// SubType values the SDK writes (protocol §2.3).
const (
	SubTypeStep              = "Step"
	SubTypeWaitForCondition  = "WaitForCondition"
	SubTypeWait              = "Wait"
	SubTypeCallback          = "Callback"
	SubTypeChainedInvoke     = "ChainedInvoke"
	SubTypeRunInChildContext = "RunInChildContext"
	SubTypeWaitForCallback   = "WaitForCallback"
	SubTypeMap               = "Map"
	SubTypeMapIteration      = "MapIteration"
	SubTypeParallel          = "Parallel"
	SubTypeParallelBranch    = "ParallelBranch"
)

// Timestamp is a point in time as the durable service encodes it: a JSON
// number of epoch milliseconds. Decoding also accepts ISO 8601 strings
// (see UnmarshalJSON).
type Timestamp struct{ time.Time }

// TimestampOf returns t as a Timestamp pointer, or nil for the zero time.
func TimestampOf(t time.Time) *Timestamp {
	if t.IsZero() {
		return nil
	}
	return &Timestamp{t}
}

// MarshalJSON encodes the time as epoch milliseconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, t.UnixMilli(), 10), nil
}

// UnmarshalJSON accepts epoch milliseconds (integer or fractional) of the
// years 0000 to 9999, or an ISO 8601 date and time: RFC 3339, also with a
// space between date and time, an offset without its colon, or no offset
// (UTC). The time is always in UTC.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := parseDateTime(s)
		if err != nil {
			return fmt.Errorf("timestamp %q: %w", s, err)
		}
		t.Time = v
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %s: not a number or ISO 8601 string", b)
	}
	if !(f >= minTimestampMillis && f <= maxTimestampMillis) {
		return fmt.Errorf("timestamp %s: out of range (epoch milliseconds of the years 0000 to 9999)", b)
	}
	t.Time = time.UnixMicro(int64(f * 1000)).UTC()
	return nil
}

// parseDateTime parses an ISO 8601 date and time as the event's sources
// write it: RFC 3339 (2026-01-01T00:00:00.5Z), with a space or a lower
// case t between date and time as RFC 3339 allows (Python's str of a
// datetime: 2026-01-01 00:00:00.500000+00:00, which the reference emulator
// sends), an offset with or without its colon, or no offset at all (UTC).
// The result is in UTC, as numeric timestamps are.
func parseDateTime(s string) (time.Time, error) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 't') {
		s = s[:10] + "T" + s[11:]
	}
	if n := len(s); n > 0 && s[n-1] == 'z' {
		s = s[:n-1] + "Z"
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var err2 error
		if v, err2 = time.Parse("2006-01-02T15:04:05.999999999Z0700", s); err2 != nil {
			if v, err2 = time.Parse("2006-01-02T15:04:05.999999999", s); err2 != nil {
				return time.Time{}, err
			}
		}
	}
	return v.UTC(), nil
}

// The epoch milliseconds a Timestamp accepts: the years RFC 3339 can
// write, 0000 to 9999. Beyond them the conversion to microseconds would
// overflow int64 (giving a different nonsense time on each platform), and
// no durable execution runs then anyway.
const (
	minTimestampMillis = -62167219200000 // 0000-01-01T00:00:00Z
	maxTimestampMillis = 253402300799999 // 9999-12-31T23:59:59.999Z
)

// ErrorObject is how errors travel in the protocol.
type ErrorObject struct {
	ErrorType    string   `json:"ErrorType,omitempty"`
	ErrorMessage string   `json:"ErrorMessage,omitempty"`
	ErrorData    string   `json:"ErrorData,omitempty"`
	StackTrace   []string `json:"StackTrace,omitempty"`
}

// ExecutionDetails holds the EXECUTION operation's input.
type ExecutionDetails struct {
	InputPayload *string `json:"InputPayload,omitempty"`
}

// ContextDetails holds a CONTEXT operation's outcome.
type ContextDetails struct {
	ReplayChildren bool         `json:"ReplayChildren,omitempty"`
	Result         *string      `json:"Result,omitempty"`
	Error          *ErrorObject `json:"Error,omitempty"`
}

// StepDetails holds a STEP operation's attempts and outcome. Attempt counts
// finished attempts.
type StepDetails struct {
	Attempt              int          `json:"Attempt"`
	NextAttemptTimestamp *Timestamp   `json:"NextAttemptTimestamp,omitempty"`
	Result               *string      `json:"Result,omitempty"`
	Error                *ErrorObject `json:"Error,omitempty"`
}

// WaitDetails holds a WAIT operation's schedule.
type WaitDetails struct {
	ScheduledEndTimestamp *Timestamp `json:"ScheduledEndTimestamp,omitempty"`
}

// CallbackDetails holds a CALLBACK operation's id and outcome.
type CallbackDetails struct {
	CallbackID string       `json:"CallbackId,omitempty"`
	Result     *string      `json:"Result,omitempty"`
	Error      *ErrorObject `json:"Error,omitempty"`
}

// ChainedInvokeDetails holds a CHAINED_INVOKE operation's outcome.
type ChainedInvokeDetails struct {
	Result *string      `json:"Result,omitempty"`
	Error  *ErrorObject `json:"Error,omitempty"`
}

// Operation is one checkpointed record of a durable execution.
type Operation struct {
	ID                   string                `json:"Id"`
	ParentID             string                `json:"ParentId,omitempty"`
	Name                 string                `json:"Name,omitempty"`
	Type                 OperationType         `json:"Type"`
	SubType              string                `json:"SubType,omitempty"`
	Status               OperationStatus       `json:"Status"`
	StartTimestamp       *Timestamp            `json:"StartTimestamp,omitempty"`
	EndTimestamp         *Timestamp            `json:"EndTimestamp,omitempty"`
	ExecutionDetails     *ExecutionDetails     `json:"ExecutionDetails,omitempty"`
	ContextDetails       *ContextDetails       `json:"ContextDetails,omitempty"`
	StepDetails          *StepDetails          `json:"StepDetails,omitempty"`
	WaitDetails          *WaitDetails          `json:"WaitDetails,omitempty"`
	CallbackDetails      *CallbackDetails      `json:"CallbackDetails,omitempty"`
	ChainedInvokeDetails *ChainedInvokeDetails `json:"ChainedInvokeDetails,omitempty"`
}

// StepOptions configures a STEP RETRY.
type StepOptions struct {
	NextAttemptDelaySeconds int `json:"NextAttemptDelaySeconds"`
}

// WaitOptions configures a WAIT START.
type WaitOptions struct {
	WaitSeconds int `json:"WaitSeconds"`
}

// CallbackOptions configures a CALLBACK START. Zero means no timeout.
type CallbackOptions struct {
	TimeoutSeconds          int `json:"TimeoutSeconds"`
	HeartbeatTimeoutSeconds int `json:"HeartbeatTimeoutSeconds"`
}

// ChainedInvokeOptions configures a CHAINED_INVOKE START.
type ChainedInvokeOptions struct {
	FunctionName string `json:"FunctionName"`
	TenantID     string `json:"TenantId,omitempty"`
}

// ContextOptions configures a CONTEXT SUCCEED.
type ContextOptions struct {
	ReplayChildren bool `json:"ReplayChildren"`
}

// OperationUpdate is one change sent to the service in a checkpoint.
type OperationUpdate struct {
	ID                   string                `json:"Id"`
	ParentID             string                `json:"ParentId,omitempty"`
	Name                 string                `json:"Name,omitempty"`
	Type                 OperationType         `json:"Type"`
	SubType              string                `json:"SubType,omitempty"`
	Action               OperationAction       `json:"Action"`
	Payload              *string               `json:"Payload,omitempty"`
	Error                *ErrorObject          `json:"Error,omitempty"`
	StepOptions          *StepOptions          `json:"StepOptions,omitempty"`
	WaitOptions          *WaitOptions          `json:"WaitOptions,omitempty"`
	CallbackOptions      *CallbackOptions      `json:"CallbackOptions,omitempty"`
	ChainedInvokeOptions *ChainedInvokeOptions `json:"ChainedInvokeOptions,omitempty"`
	ContextOptions       *ContextOptions       `json:"ContextOptions,omitempty"`
}

// ExecutionState is one page of an execution's operations.
type ExecutionState struct {
	Operations []Operation `json:"Operations"`
	NextMarker string      `json:"NextMarker,omitempty"`
}

// InvocationEvent is the payload Lambda sends to a durable function.
type InvocationEvent struct {
	DurableExecutionArn   string          `json:"DurableExecutionArn"`
	CheckpointToken       string          `json:"CheckpointToken"`
	InitialExecutionState *ExecutionState `json:"InitialExecutionState"`
	// UpdatedOperationIDs lists operations the service changed while the
	// execution was suspended (informational; used by plugins).
	UpdatedOperationIDs []string `json:"UpdatedOperationIds,omitempty"`
}

// InvocationStatus is the outcome a durable handler reports to Lambda.
type InvocationStatus string

// Invocation outcomes.
const (
	InvocationSucceeded InvocationStatus = "SUCCEEDED"
	InvocationFailed    InvocationStatus = "FAILED"
	InvocationPending   InvocationStatus = "PENDING"
)

// InvocationOutput is the envelope a durable handler returns to Lambda.
type InvocationOutput struct {
	Status InvocationStatus `json:"Status"`
	Result *string          `json:"Result,omitempty"`
	Error  *ErrorObject     `json:"Error,omitempty"`
}
