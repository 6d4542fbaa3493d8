package durable_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
)

func TestNewLoggerGatesLikeAContextLogger(t *testing.T) {
	var buf bytes.Buffer
	replaying := true
	l := logtest.NewLogger(logsink.NewSlogLogger(slog.NewJSONHandler(&buf, nil)), func() bool { return replaying })
	l.Info("replayed")
	l.Debug("below the level")
	replaying = false
	l.Info("live")
	out := buf.String()
	if strings.Contains(out, "replayed") || strings.Contains(out, "below the level") || !strings.Contains(out, `"msg":"live"`) {
		t.Errorf("output = %q, want only the live line", out)
	}

	buf.Reset()
	replaying = true
	logtest.NewLogger(logsink.NewSlogLogger(slog.NewJSONHandler(&buf, nil)), func() bool { return true },
		durable.WithReplayLogs(durable.ReplayKeep)).Info("kept")
	if !strings.Contains(buf.String(), "kept") {
		t.Errorf("ReplayKeep dropped a line: %q", buf.String())
	}
}
