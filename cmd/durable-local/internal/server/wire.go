package server

// The REST API's JSON shapes. Everything that names the protocol's wire
// types (package durable today, core/protocol later) is kept in this file
// and in errors.go, so a rename touches only them.

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

type (
	operation       = protocol.Operation
	operationUpdate = protocol.OperationUpdate
	errorObject     = protocol.ErrorObject
	apiError        = protocol.APIError
	service         = protocol.Service
)

// seconds is a REST timestamp: a JSON number of epoch seconds
// (restJson1), where the invocation event uses milliseconds.
type seconds time.Time

func (s seconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(time.Time(s).UnixMilli())/1000, 'f', -1, 64), nil
}

func secondsOf(t *protocol.Timestamp) *seconds {
	if t == nil {
		return nil
	}
	s := seconds(t.Time)
	return &s
}

func secondsAt(t time.Time) *seconds {
	if t.IsZero() {
		return nil
	}
	s := seconds(t)
	return &s
}

// restOperation is an Operation with REST timestamps: the outer fields
// shadow the embedded ones of the same JSON name.
type restOperation struct {
	protocol.Operation
	StartTimestamp *seconds                                  `json:"StartTimestamp,omitempty"`
	EndTimestamp   *seconds                                  `json:"EndTimestamp,omitempty"`
	StepDetails    *restStepDetails                          `json:"StepDetails,omitempty"`
	WaitDetails    *struct{ ScheduledEndTimestamp *seconds } `json:"WaitDetails,omitempty"`
}

type restStepDetails struct {
	protocol.StepDetails
	NextAttemptTimestamp *seconds `json:"NextAttemptTimestamp,omitempty"`
}

func restOperations(ops []operation) []restOperation {
	out := make([]restOperation, len(ops))
	for i, op := range ops {
		r := restOperation{Operation: op, StartTimestamp: secondsOf(op.StartTimestamp), EndTimestamp: secondsOf(op.EndTimestamp)}
		if d := op.StepDetails; d != nil {
			r.StepDetails = &restStepDetails{StepDetails: *d, NextAttemptTimestamp: secondsOf(d.NextAttemptTimestamp)}
		}
		if d := op.WaitDetails; d != nil {
			r.WaitDetails = &struct{ ScheduledEndTimestamp *seconds }{secondsOf(d.ScheduledEndTimestamp)}
		}
		out[i] = r
	}
	return out
}

type executionState struct {
	Operations []restOperation `json:"Operations"`
	NextMarker *string         `json:"NextMarker"`
}

func restState(st protocol.ExecutionState) executionState {
	out := executionState{Operations: restOperations(st.Operations)}
	if st.NextMarker != "" {
		out.NextMarker = &st.NextMarker
	}
	return out
}

type checkpointInput struct {
	CheckpointToken string
	ClientToken     string
	Updates         []operationUpdate
}

type checkpointOutput struct {
	CheckpointToken   *string        `json:"CheckpointToken,omitempty"`
	NewExecutionState executionState `json:"NewExecutionState"`
}

func checkpointRequest(arn string, in checkpointInput) protocol.CheckpointRequest {
	return protocol.CheckpointRequest{DurableExecutionArn: arn, CheckpointToken: in.CheckpointToken,
		ClientToken: in.ClientToken, Updates: in.Updates}
}

func checkpointResponse(resp *protocol.CheckpointResponse) checkpointOutput {
	out := checkpointOutput{NewExecutionState: restState(resp.NewExecutionState)}
	if resp.CheckpointToken != "" {
		out.CheckpointToken = &resp.CheckpointToken
	}
	return out
}

func stateRequest(arn, token, marker string, maxItems int) protocol.StateRequest {
	return protocol.StateRequest{DurableExecutionArn: arn, CheckpointToken: token, Marker: marker, MaxItems: maxItems}
}

// executionSummary is one entry of ListDurableExecutionsByFunction.
type executionSummary struct {
	DurableExecutionArn  string
	DurableExecutionName string
	FunctionArn          string
	Status               string
	StartTimestamp       *seconds
	EndTimestamp         *seconds `json:",omitempty"`
}

// executionOutput is GetDurableExecution's answer.
type executionOutput struct {
	executionSummary
	InputPayload          *string      `json:",omitempty"`
	Result                *string      `json:",omitempty"`
	Error                 *errorObject `json:",omitempty"`
	Version               string
	ExecutionDataIncluded bool
}

func functionArn(e *durabletest.Execution) string {
	return "arn:aws:lambda:us-east-1:123456789012:function:" + e.FunctionName() + ":" + e.Version()
}

func summarize(e *durabletest.Execution) executionSummary {
	return executionSummary{DurableExecutionArn: e.Arn(), DurableExecutionName: e.Name(), FunctionArn: functionArn(e),
		Status: e.Status(), StartTimestamp: secondsAt(e.StartTime()), EndTimestamp: secondsAt(e.EndTime())}
}

func describe(e *durabletest.Execution, includeData bool) executionOutput {
	out := executionOutput{executionSummary: summarize(e), Version: e.Version(), ExecutionDataIncluded: includeData}
	if includeData {
		out.InputPayload, out.Result, out.Error = e.Input(), e.Result(), e.Error()
	}
	return out
}

// historyOutput is GetDurableExecutionHistory's answer; the events'
// own JSON is already the REST shape.
type historyOutput struct {
	Events     []json.RawMessage
	NextMarker *string `json:",omitempty"`
}

// stripData removes the payloads of an event, marking them truncated, as
// the service does without IncludeExecutionData.
func stripData(ev durabletest.Event) durabletest.Event {
	d := &ev.Details
	if d.Input != nil {
		d.Input = &durabletest.EventPayload{Truncated: true}
	}
	if d.Result != nil {
		d.Result = &durabletest.EventPayload{Truncated: true}
	}
	if d.Error != nil {
		d.Error = &durabletest.EventError{Truncated: true}
	}
	return ev
}
