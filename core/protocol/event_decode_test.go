package protocol

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

const richEvent = `{
  "DurableExecutionArn": "arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x",
  "CheckpointToken": "t1",
  "UpdatedOperationIds": ["s1", "w1"],
  "InitialExecutionState": {
    "Operations": [
      {"Id": "x", "Type": "EXECUTION", "Status": "STARTED", "StartTimestamp": 1767225600000,
       "ExecutionDetails": {"InputPayload": "{\"orderId\":\"42\",\"note\":\"caf\u00e9\"}"}},
      {"Id": "s1", "Name": "validate", "Type": "STEP", "SubType": "Step", "Status": "SUCCEEDED",
       "StartTimestamp": 1767225600000.5, "EndTimestamp": 1767225601000,
       "StepDetails": {"Attempt": 1, "Result": "\"ok\"", "Error": null}},
      {"Id": "s2", "ParentId": "c1", "Type": "STEP", "SubType": "WaitForCondition", "Status": "PENDING",
       "StepDetails": {"Attempt": 2, "NextAttemptTimestamp": 1767225610000,
         "Error": {"ErrorType": "E", "ErrorMessage": "m", "ErrorData": "{}", "StackTrace": ["a", "b"]}}},
      {"Id": "c1", "Type": "CONTEXT", "SubType": "RunInChildContext", "Status": "SUCCEEDED",
       "ContextDetails": {"ReplayChildren": true, "Result": ""}},
      {"Id": "w1", "Type": "WAIT", "SubType": "Wait", "Status": "STARTED",
       "WaitDetails": {"ScheduledEndTimestamp": 1767225605000}},
      {"Id": "cb", "Type": "CALLBACK", "SubType": "Callback", "Status": "FAILED",
       "CallbackDetails": {"CallbackId": "abc=", "Error": {"ErrorType": "Callback.Timeout"}}},
      {"Id": "i1", "Type": "CHAINED_INVOKE", "SubType": "ChainedInvoke", "Status": "SUCCEEDED",
       "ChainedInvokeDetails": {"Result": "null"}}
    ],
    "NextMarker": "m2"
  }
}`

// The fast decoder must give exactly what encoding/json gives, or defer to it.
func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		slowPath bool
	}{
		{"rich event", richEvent, false},
		{"minimal", `{"DurableExecutionArn":"a/b","CheckpointToken":"t"}`, false},
		{"null state", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":null}`, false},
		{"null details", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"b","Type":"EXECUTION","Status":"STARTED","StepDetails":null,"ContextDetails":null,"ExecutionDetails":null,"WaitDetails":null,"CallbackDetails":null,"ChainedInvokeDetails":null,"EndTimestamp":null}]}}`, false},
		{"null operations", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":null,"NextMarker":null}}`, false},
		{"empty operations", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[]}}`, false},
		{"other key case", `{"durableExecutionArn":"a/b","CheckpointToken":"t"}`, true},
		{"unknown key", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","Extra":1}`, true},
		{"duplicate key", `{"DurableExecutionArn":"a/b","DurableExecutionArn":"c/d","CheckpointToken":"t"}`, true},
		{"string timestamp", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"b","Type":"EXECUTION","Status":"STARTED","StartTimestamp":"2026-01-01T00:00:00Z"}]}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fast, err := fastDecodeEvent([]byte(tt.payload))
			if tt.slowPath {
				if !errors.Is(err, errSlowPath) {
					t.Fatalf("fast decoder = %v, want the slow path", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("fast decoder: %v", err)
			}
			var slow InvocationEvent
			if err := json.Unmarshal([]byte(tt.payload), &slow); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast, &slow) {
				t.Errorf("fast decoder gave\n%+v\nencoding/json gave\n%+v", fast, &slow)
			}
		})
	}
}

func FuzzFastDecodeEvent(f *testing.F) {
	f.Add([]byte(richEvent))
	f.Add([]byte(`{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"b","Type":"EXECUTION","Status":"STARTED","StartTimestamp":8999999999999,"EndTimestamp":9999999999999}]}}`))
	f.Add([]byte(`{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"b","Type":"EXECUTION","Status":"STARTED","StepDetails":{"Attempt":01}}]}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		fast, err := fastDecodeEvent(payload)
		if err != nil {
			if !errors.Is(err, errSlowPath) {
				t.Fatalf("fast decoder error %v is not errSlowPath", err)
			}
			return
		}
		var slow InvocationEvent
		if err := json.Unmarshal(payload, &slow); err != nil {
			t.Fatalf("fast decoder accepted what encoding/json rejects (%v)", err)
		}
		if !reflect.DeepEqual(fast, &slow) {
			t.Fatalf("fast decoder gave\n%+v\nencoding/json gave\n%+v", fast, &slow)
		}
	})
}
