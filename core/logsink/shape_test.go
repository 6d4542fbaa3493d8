package logsink_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/logsink"
)

type declinedError struct{ code string }

func (e *declinedError) Error() string { return "declined: " + e.code }

// Item 9: errorType names the most specific error, through fmt's and
// errors' wrappers.
func TestErrorTypeIsMostSpecific(t *testing.T) {
	declined := &declinedError{"E"}
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("x"), "*errors.errorString"},
		{declined, "*logsink_test.declinedError"},
		{fmt.Errorf("a: %w", declined), "*logsink_test.declinedError"},
		{fmt.Errorf("a: %w", fmt.Errorf("b: %w", declined)), "*logsink_test.declinedError"},
		{errors.Join(errors.New("first"), declined), "*logsink_test.declinedError"},
		{fmt.Errorf("%w and %w", errors.New("x"), declined), "*logsink_test.declinedError"},
		{fmt.Errorf("a: %w", errors.New("x")), "*errors.errorString"},
		{fmt.Errorf("no wrap: %v", declined), "*errors.errorString"},
		{fmt.Errorf("a: %w", context.DeadlineExceeded), "context.deadlineExceededError"},
	}
	for _, tt := range tests {
		if got := logsink.ErrorType(tt.err); got != tt.want {
			t.Errorf("ErrorType(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// Item 9: one Lambda timestamp: RFC 3339 UTC with milliseconds.
func TestLambdaTimestamp(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 67_891_234, time.FixedZone("X", 3600))
	if got := string(logsink.AppendLambdaTime(nil, at)); got != "2026-01-02T02:04:05.067Z" {
		t.Errorf("AppendLambdaTime = %s", got)
	}
	for _, l := range []struct {
		level slog.Level
		name  string
	}{{logsink.LevelTrace, "TRACE"}, {slog.LevelDebug, "DEBUG"}, {slog.LevelInfo + 1, "INFO"},
		{slog.LevelWarn, "WARN"}, {slog.LevelError, "ERROR"}, {logsink.LevelFatal, "FATAL"}} {
		if got := logsink.LambdaLevelName(l.level); got != l.name {
			t.Errorf("LambdaLevelName(%v) = %s, want %s", l.level, got, l.name)
		}
	}
}

type codedError struct{}

func (e *codedError) Error() string { return "coded" }

func TestErrorType(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("x"), "*errors.errorString"},
		{&codedError{}, "*logsink_test.codedError"},
	}
	for _, tt := range tests {
		if got := logsink.ErrorType(tt.err); got != tt.want {
			t.Errorf("ErrorType(%#v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestLambdaFieldKey(t *testing.T) {
	for key, want := range map[string]string{
		"timestamp": "fields.timestamp", "level": "fields.level", "message": "fields.message",
		"time": "time", "msg": "msg", "Level": "Level", "order_id": "order_id", "": "",
	} {
		if got := logsink.LambdaFieldKey(key); got != want {
			t.Errorf("LambdaFieldKey(%q) = %q, want %q", key, got, want)
		}
	}
}
