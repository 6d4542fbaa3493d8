package durabletest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// encodeEvent must write exactly what encoding/json writes.
func TestEncodeEventMatchesEncodingJSON(t *testing.T) {
	at := protocol.TimestampOf(time.UnixMilli(1767225600123))
	errObj := &protocol.ErrorObject{ErrorType: "E", ErrorMessage: "bad <input> & \"quotes\"", ErrorData: "d", StackTrace: []string{"a", "b"}}
	ops := []protocol.Operation{
		{ID: "x", Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted, StartTimestamp: at,
			ExecutionDetails: &protocol.ExecutionDetails{InputPayload: str(`{"a":"<b>"}`)}},
		{ID: "x2", Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted, ExecutionDetails: &protocol.ExecutionDetails{}},
		{ID: "s", ParentID: "p", Name: "name é\u2028", Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Status: protocol.StatusSucceeded,
			StartTimestamp: at, EndTimestamp: at, StepDetails: &protocol.StepDetails{Attempt: 2, Result: str(`"ok"`)}},
		{ID: "s2", Type: protocol.OperationTypeStep, Status: protocol.StatusPending,
			StepDetails: &protocol.StepDetails{Attempt: 1, NextAttemptTimestamp: at, Error: errObj}},
		{ID: "s3", Type: protocol.OperationTypeStep, Status: protocol.StatusStarted, StepDetails: &protocol.StepDetails{}},
		{ID: "c", Type: protocol.OperationTypeContext, Status: protocol.StatusSucceeded, ContextDetails: &protocol.ContextDetails{ReplayChildren: true, Result: str("")}},
		{ID: "c2", Type: protocol.OperationTypeContext, Status: protocol.StatusFailed, ContextDetails: &protocol.ContextDetails{Error: errObj}},
		{ID: "c3", Type: protocol.OperationTypeContext, Status: protocol.StatusStarted, ContextDetails: &protocol.ContextDetails{}},
		{ID: "c4", Type: protocol.OperationTypeContext, Status: protocol.StatusFailed, ContextDetails: &protocol.ContextDetails{ReplayChildren: true, Error: errObj}},
		{ID: "w", Type: protocol.OperationTypeWait, Status: protocol.StatusStarted, WaitDetails: &protocol.WaitDetails{ScheduledEndTimestamp: at}},
		{ID: "w2", Type: protocol.OperationTypeWait, Status: protocol.StatusStarted, WaitDetails: &protocol.WaitDetails{}},
		{ID: "cb", Type: protocol.OperationTypeCallback, Status: protocol.StatusSucceeded, CallbackDetails: &protocol.CallbackDetails{CallbackID: "id", Result: str("raw\x00\xff")}},
		{ID: "cb2", Type: protocol.OperationTypeCallback, Status: protocol.StatusFailed, CallbackDetails: &protocol.CallbackDetails{Error: errObj}},
		{ID: "cb3", Type: protocol.OperationTypeCallback, Status: protocol.StatusStarted, CallbackDetails: &protocol.CallbackDetails{}},
		{ID: "i", Type: protocol.OperationTypeChainedInvoke, SubType: protocol.SubTypeChainedInvoke, Status: protocol.StatusSucceeded, ChainedInvokeDetails: &protocol.ChainedInvokeDetails{Result: str("1")}},
		{ID: "i2", Type: protocol.OperationTypeChainedInvoke, Status: protocol.StatusFailed, ChainedInvokeDetails: &protocol.ChainedInvokeDetails{Error: errObj}},
		{ID: "i3", Type: protocol.OperationTypeChainedInvoke, Status: protocol.StatusStarted, ChainedInvokeDetails: &protocol.ChainedInvokeDetails{}},
	}
	for _, ev := range []protocol.InvocationEvent{
		{DurableExecutionArn: "arn:a/b", CheckpointToken: "t", InitialExecutionState: &protocol.ExecutionState{Operations: ops}},
		{DurableExecutionArn: "arn", CheckpointToken: "t&", InitialExecutionState: &protocol.ExecutionState{Operations: ops[:1], NextMarker: "page-1"},
			UpdatedOperationIDs: []string{"s", "w"}},
		{InitialExecutionState: &protocol.ExecutionState{Operations: []protocol.Operation{}}},
	} {
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeEvent(&ev); string(got) != string(want) {
			t.Errorf("encodeEvent\n got: %s\nwant: %s", got, want)
		}
	}
}

func FuzzAppendStringMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "<>&", "\u2028", "\xff", "é", "\"\\", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}
