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

// The reference emulator sends the event's operations as Python's
// json.dumps(..., default=str) writes them: a datetime becomes
// "2026-01-01 00:00:00.123456+00:00" (ISO 8601 with a space, and without
// the fraction when it is zero). The protocol asks a decoder to accept
// ISO-8601 strings; every one of these is the same instant, in UTC as a
// numeric timestamp is.
func TestDecodeEventAcceptsISO8601TimestampStrings(t *testing.T) {
	want := time.Date(2026, 1, 1, 0, 0, 0, 123456000, time.UTC)
	whole := want.Truncate(time.Second)
	for ts, want := range map[string]time.Time{
		`"2026-01-01 00:00:00.123456+00:00"`: want,
		`"2026-01-01 00:00:00+00:00"`:        whole,
		`"2026-01-01T00:00:00.123456Z"`:      want,
		`"2026-01-01t00:00:00.123456z"`:      want,
		`"2026-01-01T02:00:00.123456+02:00"`: want,
		`"2026-01-01 02:00:00+0200"`:         whole,
		`"2025-12-31T19:00:00.123456-05:00"`: want,
		`"2026-01-01T00:00:00.123456"`:       want,
		`"2026-01-01 00:00:00"`:              whole,
	} {
		ev, err := DecodeEvent(eventWithStart(ts))
		if err != nil {
			t.Errorf("StartTimestamp %s: %v", ts, err)
			continue
		}
		got := ev.InitialExecutionState.Operations[0].StartTimestamp.Time
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("StartTimestamp %s = %v, want %v", ts, got, want)
		}
	}
}

// What is not a date and time stays a clear error.
func TestDecodeEventRejectsBadTimestampStrings(t *testing.T) {
	for _, ts := range []string{`""`, `"yesterday"`, `"1767225600000"`, `"2026-01-01"`, `"2026-01-01X00:00:00Z"`, `"2026-13-01T00:00:00Z"`, `"2026-01-01T00:00:00+25:00"`} {
		_, err := DecodeEvent(eventWithStart(ts))
		if !errors.Is(err, ErrInvalidEvent) || !strings.Contains(err.Error(), "timestamp") {
			t.Errorf("StartTimestamp %s: error = %v, want ErrInvalidEvent about the timestamp", ts, err)
		}
	}
}
