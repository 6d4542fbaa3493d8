package durable_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
)

// TestDefaultLoggerContract runs the adapter conformance suite against the
// default logger in JSON format.
func TestDefaultLoggerContract(t *testing.T) {
	logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
		return logsink.NewSlogLogger(durable.NewDefaultHandlerForTest(w, slog.LevelDebug, true))
	})
}

func TestDefaultLoggerJSONShape(t *testing.T) {
	var buf bytes.Buffer
	log := logsink.NewSlogLogger(durable.NewDefaultHandlerForTest(&buf, slog.LevelDebug, true))
	log.Warning("careful", "requestId", "req-1")
	log.LogAttrs(slog.LevelInfo+2, "between levels")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	if !strings.HasPrefix(lines[0], `{"timestamp":"`) {
		t.Errorf("line does not start with timestamp: %s", lines[0])
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil {
		t.Fatal(err)
	}
	ts, _ := m["timestamp"].(string)
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$`).MatchString(ts) {
		t.Errorf("timestamp %q is not RFC 3339 in UTC", ts)
	}
	if m["level"] != "WARN" || m["message"] != "careful" || m["requestId"] != "req-1" {
		t.Errorf("line = %v, want level WARN, message careful, requestId req-1", m)
	}
	if strings.Count(lines[0], `"requestId"`) != 1 {
		t.Errorf("requestId appears more than once: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"level":"INFO"`) {
		t.Errorf("a level between INFO and WARN must be named INFO for Lambda's filter: %s", lines[1])
	}
}

func TestDefaultLoggerText(t *testing.T) {
	var buf bytes.Buffer
	log := logsink.NewSlogLogger(durable.NewDefaultHandlerForTest(&buf, slog.LevelInfo, false))
	log.Debug("hidden")
	log.Info("shown", "k", "v")
	out := buf.String()
	for _, want := range []string{"timestamp=", "level=INFO", "message=shown", "k=v"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q: %s", want, out)
		}
	}
	if strings.Contains(out, "hidden") || strings.Count(out, "\n") != 1 {
		t.Errorf("want exactly the info line: %s", out)
	}
}

func TestExceptionSurvivesNilPointerError(t *testing.T) {
	var buf bytes.Buffer
	log := logsink.NewSlogLogger(durable.NewDefaultHandlerForTest(&buf, slog.LevelDebug, true))
	var typedNil *nilUnsafeError
	log.Exception("typed nil", typedNil)
	if !strings.Contains(buf.String(), `"errorType":"*durable_test.nilUnsafeError"`) {
		t.Errorf("output = %s, want the error's type", buf.String())
	}
}

// nilUnsafeError's Error dereferences its receiver, as many do.
type nilUnsafeError struct{ msg string }

func (e *nilUnsafeError) Error() string { return e.msg }
