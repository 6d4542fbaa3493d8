package durabletest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// workedExample is protocol §9.3's handler: step validate, 5-second wait,
// step charge, spoken in raw protocol.
func workedExample(events *[]protocol.InvocationEvent) raw {
	return func(inv *rawInvocation) protocol.InvocationOutput {
		*events = append(*events, inv.event)
		if _, ok := inv.op(id1); !ok {
			if _, err := inv.checkpoint(stepUpd(id1, "validate", protocol.ActionStart), stepSucceed(id1, "validate", `"ok"`)); err != nil {
				return pending
			}
		}
		if _, ok := inv.op(id2); !ok {
			if _, err := inv.checkpoint(waitStart(id2, 5)); err != nil {
				return pending
			}
		}
		if inv.status(id2) != protocol.StatusSucceeded {
			return pending
		}
		if _, err := inv.checkpoint(stepUpd(id3, "charge", protocol.ActionStart), stepSucceed(id3, "charge", `"done"`)); err != nil {
			return pending
		}
		return succeeded(`"done"`)
	}
}

func TestWorkedExampleHistory(t *testing.T) {
	var events []protocol.InvocationEvent
	e := run(t, workedExample(&events), map[string]string{"orderId": "42"})

	if e.Status() != ExecutionSucceeded || *e.Result() != `"done"` {
		t.Fatalf("status %s result %v, want SUCCEEDED \"done\"", e.Status(), e.Result())
	}
	x := e.Operations()[0].ID
	inv := e.Invocations()
	if len(inv) != 2 {
		t.Fatalf("%d invocations, want 2", len(inv))
	}
	t0 := DefaultStartTime.Unix()
	want := fmt.Sprintf(`[
	 {"EventId":1,"EventType":"ExecutionStarted","EventTimestamp":%[1]d,"Id":%[3]q,
	  "ExecutionStartedDetails":{"Input":{"Payload":"{\"orderId\":\"42\"}","Truncated":false},"ExecutionTimeout":31622400}},
	 {"EventId":2,"EventType":"StepStarted","EventTimestamp":%[1]d,"SubType":"Step","Id":%[4]q,"Name":"validate","StepStartedDetails":{}},
	 {"EventId":3,"EventType":"StepSucceeded","EventTimestamp":%[1]d,"SubType":"Step","Id":%[4]q,"Name":"validate",
	  "StepSucceededDetails":{"Result":{"Payload":"\"ok\"","Truncated":false},"RetryDetails":{"CurrentAttempt":1}}},
	 {"EventId":4,"EventType":"WaitStarted","EventTimestamp":%[1]d,"SubType":"Wait","Id":%[5]q,
	  "WaitStartedDetails":{"Duration":5,"ScheduledEndTimestamp":%[2]d}},
	 {"EventId":5,"EventType":"InvocationCompleted","EventTimestamp":%[1]d,
	  "InvocationCompletedDetails":{"StartTimestamp":%[1]d,"EndTimestamp":%[1]d,"RequestId":%[7]q}},
	 {"EventId":6,"EventType":"WaitSucceeded","EventTimestamp":%[2]d,"SubType":"Wait","Id":%[5]q,"WaitSucceededDetails":{"Duration":5}},
	 {"EventId":7,"EventType":"StepStarted","EventTimestamp":%[2]d,"SubType":"Step","Id":%[6]q,"Name":"charge","StepStartedDetails":{}},
	 {"EventId":8,"EventType":"StepSucceeded","EventTimestamp":%[2]d,"SubType":"Step","Id":%[6]q,"Name":"charge",
	  "StepSucceededDetails":{"Result":{"Payload":"\"done\"","Truncated":false},"RetryDetails":{"CurrentAttempt":1}}},
	 {"EventId":9,"EventType":"InvocationCompleted","EventTimestamp":%[2]d,
	  "InvocationCompletedDetails":{"StartTimestamp":%[2]d,"EndTimestamp":%[2]d,"RequestId":%[8]q}},
	 {"EventId":10,"EventType":"ExecutionSucceeded","EventTimestamp":%[2]d,"Id":%[3]q,
	  "ExecutionSucceededDetails":{"Result":{"Payload":"\"done\"","Truncated":false}}}
	]`, t0, t0+5, x, id1, id2, id3, inv[0].RequestID, inv[1].RequestID)

	got, err := json.Marshal(e.History())
	if err != nil {
		t.Fatal(err)
	}
	gotV, wantV := jsonValue(t, got), jsonValue(t, []byte(want))
	if !reflect.DeepEqual(gotV, wantV) {
		g, _ := json.MarshalIndent(gotV, "", " ")
		w, _ := json.MarshalIndent(wantV, "", " ")
		t.Fatalf("history mismatch\n got: %s\nwant: %s", g, w)
	}

	t.Run("invocation events", func(t *testing.T) {
		if len(events) != 2 {
			t.Fatalf("%d events, want 2", len(events))
		}
		first, second := events[0], events[1]
		if first.CheckpointToken == second.CheckpointToken {
			t.Error("the second invocation reuses the first one's token")
		}
		if first.DurableExecutionArn != e.Arn() || second.DurableExecutionArn != e.Arn() {
			t.Errorf("event ARNs %q, %q, want %q", first.DurableExecutionArn, second.DurableExecutionArn, e.Arn())
		}
		ids := func(ev protocol.InvocationEvent) []string {
			var out []string
			for _, op := range ev.InitialExecutionState.Operations {
				out = append(out, op.ID+":"+string(op.Status))
			}
			return out
		}
		if got, want := ids(first), []string{x + ":STARTED"}; !slices.Equal(got, want) {
			t.Errorf("first state %v, want %v", got, want)
		}
		if got, want := ids(second), []string{x + ":STARTED", id1 + ":SUCCEEDED", id2 + ":SUCCEEDED"}; !slices.Equal(got, want) {
			t.Errorf("second state %v, want %v", got, want)
		}
		if !slices.Equal(second.UpdatedOperationIDs, []string{id2}) {
			t.Errorf("UpdatedOperationIds %v, want the wait only", second.UpdatedOperationIDs)
		}
		input := first.InitialExecutionState.Operations[0].ExecutionDetails.InputPayload
		if input == nil || *input != `{"orderId":"42"}` {
			t.Errorf("InputPayload %v", input)
		}
	})
}

func TestEventJSON(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 1, 500e6, time.UTC)
	tests := []struct {
		name  string
		event Event
		want  string
	}{
		{
			name: "callback started carries zero timeouts",
			event: Event{EventID: 3, EventType: EventCallbackStarted, EventTimestamp: at, SubType: "Callback",
				ID: "cb", Name: "approval", ParentID: "p", Details: EventDetails{CallbackID: "abc"}},
			want: `{"EventId":3,"EventType":"CallbackStarted","EventTimestamp":1767225601.5,"SubType":"Callback","Id":"cb","Name":"approval","ParentId":"p",
			        "CallbackStartedDetails":{"CallbackId":"abc","Timeout":0,"HeartbeatTimeout":0}}`,
		},
		{
			name: "chained invoke started omits an empty tenant",
			event: Event{EventID: 2, EventType: EventChainedInvokeStarted, EventTimestamp: at, ID: "i",
				Details: EventDetails{FunctionName: "echo", ExecutedVersion: "$LATEST", DurableExecutionArn: "arn:x", Input: payloadOf(str(`"a"`))}},
			want: `{"EventId":2,"EventType":"ChainedInvokeStarted","EventTimestamp":1767225601.5,"Id":"i",
			        "ChainedInvokeStartedDetails":{"FunctionName":"echo","ExecutedVersion":"$LATEST","DurableExecutionArn":"arn:x","Input":{"Payload":"\"a\"","Truncated":false}}}`,
		},
		{
			name: "retry step failure",
			event: Event{EventID: 4, EventType: EventStepFailed, EventTimestamp: at, SubType: "Step", ID: "s",
				Details: EventDetails{Error: errorOf(&protocol.ErrorObject{ErrorType: "E", ErrorMessage: "m"}),
					RetryDetails: &RetryDetails{CurrentAttempt: 2, NextAttemptDelaySeconds: 7}}},
			want: `{"EventId":4,"EventType":"StepFailed","EventTimestamp":1767225601.5,"SubType":"Step","Id":"s",
			        "StepFailedDetails":{"Error":{"Payload":{"ErrorType":"E","ErrorMessage":"m"},"Truncated":false},"RetryDetails":{"CurrentAttempt":2,"NextAttemptDelaySeconds":7}}}`,
		},
		{
			name: "crashed invocation",
			event: Event{EventID: 5, EventType: EventInvocationCompleted, EventTimestamp: at,
				Details: EventDetails{StartTimestamp: at, EndTimestamp: at, RequestID: "r",
					Error: errorOf(&protocol.ErrorObject{ErrorType: ErrorTypeExitError})}},
			want: `{"EventId":5,"EventType":"InvocationCompleted","EventTimestamp":1767225601.5,
			        "InvocationCompletedDetails":{"StartTimestamp":1767225601.5,"EndTimestamp":1767225601.5,"RequestId":"r",
			        "Error":{"Payload":{"ErrorType":"Runtime.ExitError"},"Truncated":false}}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.event)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(jsonValue(t, b), jsonValue(t, []byte(tt.want))) {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
			var back Event
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, tt.event) {
				t.Errorf("round trip:\n got %+v\nwant %+v", back, tt.event)
			}
		})
	}
}
