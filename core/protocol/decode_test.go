package protocol

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeEventRejectsBadPayloads(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    string
	}{
		{"not json", `{`, "invalid invocation event"},
		{"not durable", `{"orderId":"42"}`, "configured as a durable function"},
		{"no token", `{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/id"}`, "configured as a durable function"},
		{"arn without id", `{"DurableExecutionArn":"arn/","CheckpointToken":"t"}`, "no invocation id"},
		{"bad timestamp", `{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"b","Type":"EXECUTION","Status":"STARTED","StartTimestamp":true}]}}`, "timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeEvent([]byte(tt.payload))
			if !errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("DecodeEvent error = %v, want ErrInvalidEvent", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(`{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1767225600000,"ExecutionDetails":{"InputPayload":"{}"}}],"NextMarker":""}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"b","Type":"EXECUTION","Status":"STARTED","StartTimestamp":"2026-01-01T00:00:00Z"}]}}`))
	// The test events of this package, and timestamps in each form.
	f.Add([]byte(richEvent))
	for _, ts := range []string{`1767225600000.25`, `-5`, `1e300`, `253402300799999`, `"2026-01-01 00:00:00.123456+00:00"`, `"2026-01-01T02:00:00+0200"`, `"2026-01-01T00:00:00"`, `true`, `null`} {
		f.Add(eventWithStart(ts))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		ev, err := DecodeEvent(payload)
		if err != nil {
			if !errors.Is(err, ErrInvalidEvent) {
				t.Fatalf("error %v is not ErrInvalidEvent", err)
			}
			return
		}
		if ev.DurableExecutionArn == "" || ev.CheckpointToken == "" || executionID(ev.DurableExecutionArn) == "" {
			t.Fatalf("accepted an event without ARN, token or id: %+v", ev)
		}
		if ev.InitialExecutionState == nil {
			return
		}
		for _, op := range ev.InitialExecutionState.Operations {
			ts := []*Timestamp{op.StartTimestamp, op.EndTimestamp}
			if op.StepDetails != nil {
				ts = append(ts, op.StepDetails.NextAttemptTimestamp)
			}
			if op.WaitDetails != nil {
				ts = append(ts, op.WaitDetails.ScheduledEndTimestamp)
			}
			for _, t1 := range ts {
				if t1 != nil && (t1.Location() != time.UTC || t1.Year() < 0 || t1.Year() > 9999) {
					t.Fatalf("accepted timestamp %v (%v) of operation %q", t1.Time, t1.Location(), op.ID)
				}
			}
		}
	})
}
