package protocol

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// eventWithStart is a minimal event whose EXECUTION operation has the
// given JSON value as its StartTimestamp.
func eventWithStart(ts string) []byte {
	return []byte(`{"DurableExecutionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:1/durable-execution/n/x","CheckpointToken":"t",` +
		`"InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED","StartTimestamp":` + ts + `}]}}`)
}

// A number no clock can show is a bad event, not a time: converting it
// overflowed int64, which gives a different nonsense year on each
// platform (amd64: year -290308).
func TestDecodeEventRejectsOutOfRangeTimestamps(t *testing.T) {
	for _, ts := range []string{`1e300`, `-1e300`, `9223372036854775807`, `99999999999999999999`, `1e17`, `-1e17`, `1e15`, `-1e14`, `253402300800000`} {
		t.Run(ts, func(t *testing.T) {
			ev, err := DecodeEvent(eventWithStart(ts))
			if err == nil {
				t.Fatalf("DecodeEvent accepted StartTimestamp %s as %v", ts, ev.InitialExecutionState.Operations[0].StartTimestamp.Time)
			}
			if !errors.Is(err, ErrInvalidEvent) || !strings.Contains(err.Error(), "timestamp") {
				t.Errorf("error = %v, want ErrInvalidEvent about the timestamp", err)
			}
		})
	}
}

// The edges of the accepted range still decode.
func TestDecodeEventAcceptsTimestampsInRange(t *testing.T) {
	for ts, want := range map[string]string{
		`0`:               "1970-01-01T00:00:00Z",
		`-5`:              "1969-12-31T23:59:59.995Z",
		`-62167219200000`: "0000-01-01T00:00:00Z",
		`253402300799000`: "9999-12-31T23:59:59Z",
		`1767225600000.5`: "2026-01-01T00:00:00.0005Z",
	} {
		ev, err := DecodeEvent(eventWithStart(ts))
		if err != nil {
			t.Errorf("StartTimestamp %s: %v", ts, err)
			continue
		}
		if got := ev.InitialExecutionState.Operations[0].StartTimestamp.Format(time.RFC3339Nano); got != want {
			t.Errorf("StartTimestamp %s = %s, want %s", ts, got, want)
		}
	}
}
