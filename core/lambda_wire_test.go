package durable

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// The Lambda wire tests below speak JSON as the service writes it (the
// restJson1 serializers of the API model: epoch-second timestamps, members
// omitted when unset) to the real AWS client through fakeLambda, and check
// every field on its way to and from the protocol types.

// An operation's fields come through both APIs that return operations,
// with an empty string kept apart from an absent or null member, unknown
// members skipped and enum values of a newer service passed on unchanged.
func TestLambdaOperationFieldsRoundTrip(t *testing.T) {
	str := func(s string) *string { return &s }
	sec := func(s float64) *protocol.Timestamp {
		return &protocol.Timestamp{Time: time.UnixMilli(int64(math.Round(s * 1000))).UTC()}
	}
	big := strings.Repeat("é☃", 100_000)
	bigJSON, _ := json.Marshal(big)
	ops := `[
		{"Id":"exec","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1.7e9,"Future":{"x":[1,2]},
		 "ExecutionDetails":{"InputPayload":"","Future":1}},
		{"Id":"s-empty","ParentId":"p","Name":"naïve ☃","Type":"STEP","SubType":"Step","Status":"SUCCEEDED",
		 "StartTimestamp":0,"EndTimestamp":1767225600.001,
		 "StepDetails":{"Attempt":0,"Result":"","Error":null,"NextAttemptTimestamp":null}},
		{"Id":"s-null","Type":"STEP","SubType":"Step","Status":"SUCCEEDED","StartTimestamp":1767225600,
		 "StepDetails":{"Attempt":3,"Result":null}},
		{"Id":"s-big","Type":"STEP","SubType":"Step","Status":"SUCCEEDED","StartTimestamp":1767225600,
		 "StepDetails":{"Attempt":1,"Result":` + string(bigJSON) + `}},
		{"Id":"ctx","Type":"CONTEXT","SubType":"RunInChildContext","Status":"SUCCEEDED","StartTimestamp":1767225600,
		 "ContextDetails":{"ReplayChildren":false,"Result":"\"\u00e9\n\""}},
		{"Id":"ctx-err","Type":"CONTEXT","SubType":"Map","Status":"FAILED","StartTimestamp":1767225600,
		 "ContextDetails":{"Error":{"ErrorType":"","ErrorMessage":"m","StackTrace":[]}}},
		{"Id":"w","Type":"WAIT","SubType":"Wait","Status":"STARTED","StartTimestamp":1767225600,"WaitDetails":{}},
		{"Id":"cb","Type":"CALLBACK","SubType":"Callback","Status":"TIMED_OUT","StartTimestamp":1767225600,
		 "CallbackDetails":{"CallbackId":"YWJj+/=","Error":{"ErrorType":"Callback.Heartbeat"}}},
		{"Id":"inv","Type":"CHAINED_INVOKE","SubType":"ChainedInvoke","Status":"STOPPED","StartTimestamp":1767225600,
		 "ChainedInvokeDetails":{"Result":"","Error":{"ErrorData":"{\"k\":1}"}}},
		{"Id":"new","Type":"FUTURE_TYPE","SubType":"NewKind","Status":"PAUSED","StartTimestamp":1767225600}]`
	want := []protocol.Operation{
		{ID: "exec", Type: protocol.OperationTypeExecution, Status: protocol.StatusStarted, StartTimestamp: sec(1.7e9),
			ExecutionDetails: &protocol.ExecutionDetails{InputPayload: str("")}},
		{ID: "s-empty", ParentID: "p", Name: "naïve ☃", Type: protocol.OperationTypeStep, SubType: "Step", Status: protocol.StatusSucceeded,
			StartTimestamp: sec(0), EndTimestamp: sec(1767225600.001),
			StepDetails: &protocol.StepDetails{Attempt: 0, Result: str("")}},
		{ID: "s-null", Type: protocol.OperationTypeStep, SubType: "Step", Status: protocol.StatusSucceeded, StartTimestamp: sec(1767225600),
			StepDetails: &protocol.StepDetails{Attempt: 3}},
		{ID: "s-big", Type: protocol.OperationTypeStep, SubType: "Step", Status: protocol.StatusSucceeded, StartTimestamp: sec(1767225600),
			StepDetails: &protocol.StepDetails{Attempt: 1, Result: &big}},
		{ID: "ctx", Type: protocol.OperationTypeContext, SubType: "RunInChildContext", Status: protocol.StatusSucceeded, StartTimestamp: sec(1767225600),
			ContextDetails: &protocol.ContextDetails{Result: str("\"é\n\"")}},
		{ID: "ctx-err", Type: protocol.OperationTypeContext, SubType: "Map", Status: protocol.StatusFailed, StartTimestamp: sec(1767225600),
			ContextDetails: &protocol.ContextDetails{Error: &protocol.ErrorObject{ErrorMessage: "m", StackTrace: []string{}}}},
		{ID: "w", Type: protocol.OperationTypeWait, SubType: "Wait", Status: protocol.StatusStarted, StartTimestamp: sec(1767225600),
			WaitDetails: &protocol.WaitDetails{}},
		{ID: "cb", Type: protocol.OperationTypeCallback, SubType: "Callback", Status: protocol.StatusTimedOut, StartTimestamp: sec(1767225600),
			CallbackDetails: &protocol.CallbackDetails{CallbackID: "YWJj+/=", Error: &protocol.ErrorObject{ErrorType: "Callback.Heartbeat"}}},
		{ID: "inv", Type: protocol.OperationTypeChainedInvoke, SubType: "ChainedInvoke", Status: protocol.StatusStopped, StartTimestamp: sec(1767225600),
			ChainedInvokeDetails: &protocol.ChainedInvokeDetails{Result: str(""), Error: &protocol.ErrorObject{ErrorData: `{"k":1}`}}},
		{ID: "new", Type: "FUTURE_TYPE", SubType: "NewKind", Status: "PAUSED", StartTimestamp: sec(1767225600)},
	}
	check := func(t *testing.T, got []protocol.Operation) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("got %d operations, want %d", len(got), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				g, _ := json.Marshal(got[i])
				w, _ := json.Marshal(want[i])
				t.Errorf("operation %s\n got %.300s\nwant %.300s", want[i].ID, g, w)
			}
		}
	}
	t.Run("checkpoint", func(t *testing.T) {
		fake := newFakeLambda(t, lambdaReply{body: `{"CheckpointToken":"t2","Future":true,"NewExecutionState":{"NextMarker":null,"Operations":` + ops + `}}`})
		got, err := fake.service().Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "t1"})
		if err != nil {
			t.Fatalf("Checkpoint: %v", err)
		}
		if got.CheckpointToken != "t2" || got.NewExecutionState.NextMarker != "" {
			t.Errorf("token %q, marker %q; want t2 and none", got.CheckpointToken, got.NewExecutionState.NextMarker)
		}
		check(t, got.NewExecutionState.Operations)
	})
	t.Run("state", func(t *testing.T) {
		fake := newFakeLambda(t, lambdaReply{body: `{"NextMarker":"m+/= 2","Operations":` + ops + `}`})
		got, err := fake.service().GetExecutionState(context.Background(), protocol.StateRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "t1"})
		if err != nil {
			t.Fatalf("GetExecutionState: %v", err)
		}
		if got.NextMarker != "m+/= 2" {
			t.Errorf("NextMarker = %q, want %q", got.NextMarker, "m+/= 2")
		}
		check(t, got.Operations)
	})
}

// Every member of every update reaches the wire as the API model names it:
// an empty payload is sent as "" (a nil one not at all), zero callback
// timeouts are left out (0 and absent both mean none), and numbers beyond
// int32 saturate instead of wrapping.
func TestLambdaUpdateFieldsOnTheWire(t *testing.T) {
	empty, text := "", "\"é☃\\u0000\""
	req := protocol.CheckpointRequest{
		DurableExecutionArn: testExecutionArn, CheckpointToken: "t +/=1", ClientToken: "c1",
		Updates: []protocol.OperationUpdate{
			{ID: "ctx", Name: "naïve", Type: protocol.OperationTypeContext, SubType: "Parallel", Action: protocol.ActionSucceed,
				Payload: &empty, ContextOptions: &protocol.ContextOptions{ReplayChildren: true}},
			{ID: "s", ParentID: "ctx", Type: protocol.OperationTypeStep, SubType: "WaitForCondition", Action: protocol.ActionRetry,
				Payload: &text, StepOptions: &protocol.StepOptions{NextAttemptDelaySeconds: math.MaxInt32 + 10}},
			{ID: "f", Type: protocol.OperationTypeStep, Action: protocol.ActionFail,
				Error: &protocol.ErrorObject{ErrorType: "T", StackTrace: []string{}}},
			{ID: "cb", Type: protocol.OperationTypeCallback, SubType: "Callback", Action: protocol.ActionStart,
				CallbackOptions: &protocol.CallbackOptions{}},
			{ID: "w", Type: protocol.OperationTypeWait, Action: protocol.ActionCancel},
			{ID: "x", Type: protocol.OperationTypeExecution, Action: protocol.ActionFail, Error: &protocol.ErrorObject{}},
		},
	}
	wantBody := `{"CheckpointToken":"t +/=1","ClientToken":"c1","Updates":[
		{"Id":"ctx","Name":"naïve","Type":"CONTEXT","SubType":"Parallel","Action":"SUCCEED","Payload":"","ContextOptions":{"ReplayChildren":true}},
		{"Id":"s","ParentId":"ctx","Type":"STEP","SubType":"WaitForCondition","Action":"RETRY","Payload":"\"é☃\\u0000\"",
		 "StepOptions":{"NextAttemptDelaySeconds":2147483647}},
		{"Id":"f","Type":"STEP","Action":"FAIL","Error":{"ErrorType":"T","StackTrace":[]}},
		{"Id":"cb","Type":"CALLBACK","SubType":"Callback","Action":"START","CallbackOptions":{}},
		{"Id":"w","Type":"WAIT","Action":"CANCEL"},
		{"Id":"x","Type":"EXECUTION","Action":"FAIL","Error":{}}]}`
	fake := newFakeLambda(t, lambdaReply{body: `{"CheckpointToken":"t2"}`})
	if _, err := fake.service().Checkpoint(context.Background(), req); err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	reqs := fake.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	if got, want := decodeLambdaJSON(t, reqs[0].body), decodeLambdaJSON(t, []byte(wantBody)); !reflect.DeepEqual(got, want) {
		t.Errorf("body = %s\nwant   %s", reqs[0].body, wantBody)
	}
}

// A checkpoint whose response has no NewExecutionState still answers
// with an empty state, and one without a token (the execution ended) with
// an empty token.
func TestLambdaCheckpointSparseResponses(t *testing.T) {
	for body, want := range map[string]protocol.CheckpointResponse{
		`{}`:                         {},
		`{"CheckpointToken":"t2"}`:   {CheckpointToken: "t2"},
		`{"NewExecutionState":null}`: {},
		`{"NewExecutionState":{}}`:   {NewExecutionState: protocol.ExecutionState{Operations: []protocol.Operation{}}},
		`{"CheckpointToken":null,"NewExecutionState":{"Operations":null}}`: {NewExecutionState: protocol.ExecutionState{Operations: []protocol.Operation{}}},
	} {
		fake := newFakeLambda(t, lambdaReply{body: body})
		got, err := fake.service().Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: testExecutionArn, CheckpointToken: "t1"})
		if err != nil {
			t.Errorf("%s: Checkpoint: %v", body, err)
			continue
		}
		if got.CheckpointToken != want.CheckpointToken || len(got.NewExecutionState.Operations) != 0 || got.NewExecutionState.NextMarker != "" {
			t.Errorf("%s: response %+v, want %+v", body, *got, want)
		}
	}
}

// The Lambda API carries payloads as JSON strings, and the AWS client
// replaces bytes that are not UTF-8 with U+FFFD: a payload a custom Serdes
// wrote in binary would be stored changed, and a replay would read back
// something else than the first run used (the in-memory service keeps it
// byte for byte, so only production showed it). Such a checkpoint fails,
// before any request, as a serialization failure that is not retried.
func TestLambdaCheckpointRejectsPayloadsThatAreNotUTF8(t *testing.T) {
	ok, bad := `"ok"`, "\x00\xff\xfegob"
	fake := newFakeLambda(t)
	_, err := fake.service().Checkpoint(context.Background(), protocol.CheckpointRequest{
		DurableExecutionArn: testExecutionArn, CheckpointToken: "t1",
		Updates: []protocol.OperationUpdate{
			{ID: "a", Type: protocol.OperationTypeStep, SubType: "Step", Action: protocol.ActionSucceed, Payload: &ok},
			{ID: "b", Type: protocol.OperationTypeStep, SubType: "Step", Action: protocol.ActionSucceed, Payload: &bad},
		},
	})
	if !errors.Is(err, ErrSerialization) || !strings.Contains(err.Error(), "UTF-8") || !strings.Contains(err.Error(), " b") {
		t.Errorf("Checkpoint error = %v, want ErrSerialization naming update b and UTF-8", err)
	}
	if err != nil && protocol.IsRetryable(err) {
		t.Errorf("IsRetryable(%v) = true; a re-invocation would send the same payload", err)
	}
	if n := len(fake.requests()); n != 0 {
		t.Errorf("%d requests sent, want none: the payload would have been stored changed", n)
	}
}

// An ErrorObject reaches the service exactly as protocol.ErrorObjectOf
// made it, even from an error whose text is not UTF-8: the error a first
// run raises and the one a replay rebuilds from the stored record read
// the same.
func TestLambdaErrorObjectReachesTheServiceUnchanged(t *testing.T) {
	eo := protocol.ErrorObjectOf(fmt.Errorf("read %s: %w", "\xff\xfe\xe2\x82", errors.New("bad \xc3 byte")))
	fake := newFakeLambda(t, lambdaReply{body: `{"CheckpointToken":"t2"}`})
	if _, err := fake.service().Checkpoint(context.Background(), protocol.CheckpointRequest{
		DurableExecutionArn: testExecutionArn, CheckpointToken: "t1",
		Updates: []protocol.OperationUpdate{{ID: "s", Type: protocol.OperationTypeStep, SubType: "Step", Action: protocol.ActionFail, Error: &eo}},
	}); err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	var body struct {
		Updates []struct{ Error protocol.ErrorObject }
	}
	if err := json.Unmarshal(fake.requests()[0].body, &body); err != nil {
		t.Fatal(err)
	}
	if got := body.Updates[0].Error; !reflect.DeepEqual(got, eo) {
		t.Errorf("the service received %+q, ErrorObjectOf gave %+q", got, eo)
	}
}
