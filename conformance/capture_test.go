package conformance

import (
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

func TestLogCaptureStdout(t *testing.T) {
	c := &logCapture{}
	const arn = "arn:aws:lambda:us-east-1:1:function:f:$LATEST/durable-execution/x/y"
	writes := []string{
		`{"hook": "a", "durableExecutionArn": "` + arn + `"}` + "\n",
		`  {"hook": "b", "executionArn": `, `"` + arn + `"}  ` + "\n", // split across writes
		"plain text\n",
		`{"hook": "c"}` + "\n", // no ARN: not this execution's record
		`{"hook": "d", "durableExecutionArn": "arn:other"}` + "\n",
		`{"nested": {"durableExecutionArn": "` + arn + `"}}` + "\n", // only top level counts
		`["not", "an", "object"]` + "\n",
		`{"hook": "e", "executionArn": "` + arn + `"}`, // last line without newline
	}
	for _, w := range writes {
		if n, err := c.Write([]byte(w)); err != nil || n != len(w) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	got := c.forExecution(arn)
	var hooks []string
	for i, r := range got {
		h, _ := r.Fields.Get("hook")
		hooks = append(hooks, fmt.Sprint(h))
		if i > 0 && r.Order <= got[i-1].Order {
			t.Errorf("records out of order: %d after %d", r.Order, got[i-1].Order)
		}
	}
	if fmt.Sprint(hooks) != "[a b e]" {
		t.Errorf("records %v, want [a b e]", hooks)
	}
}

func TestLogCaptureObserver(t *testing.T) {
	c := &logCapture{}
	const arn = "arn:x"
	at := time.Date(2025, 1, 2, 3, 4, 5, 6000000, time.UTC)
	fmt.Fprintf(c, `{"hook": "start", "durableExecutionArn": %q}`+"\n", arn)
	c.observe(durabletest.LogRecord{
		Time: at, Level: slog.LevelWarn, Message: "hello", Emitted: true,
		Fields: map[string]any{
			"executionArn": arn, "attempt": 2, "err": errors.New("bad"),
			"group": slog.GroupValue(slog.String("k", "v")), "message": "shadowed",
		},
	})
	c.observe(durabletest.LogRecord{Message: "dropped as replay", Replay: true, Fields: map[string]any{"executionArn": arn}})
	fmt.Fprintf(c, `{"hook": "end", "durableExecutionArn": %q}`+"\n", arn)

	got := c.forExecution(arn)
	if len(got) != 3 {
		t.Fatalf("%d records, want 3 (the replayed line was never printed)", len(got))
	}
	rec := got[1].Fields
	want := map[string]any{
		"message": "hello", "level": "WARN", "timestamp": "2025-01-02T03:04:05.006Z",
		"attempt": jsonVal(t, "2"), "err": "bad", "group": mapOf("k", "v"),
	}
	for k, w := range want {
		if v, ok := rec.Get(k); !ok || !deepEqual(v, w) {
			t.Errorf("field %s = %s, want %s", k, show(v), show(w))
		}
	}
	if !(got[0].Order < got[1].Order && got[1].Order < got[2].Order) {
		t.Errorf("stdout and logger records not in capture order: %d %d %d", got[0].Order, got[1].Order, got[2].Order)
	}
}

func TestLevelName(t *testing.T) {
	tests := map[slog.Level]string{
		slog.LevelDebug - 4: "DEBUG", slog.LevelDebug: "DEBUG", slog.LevelInfo: "INFO",
		slog.LevelWarn: "WARN", slog.LevelError: "ERROR", slog.LevelError + 4: "ERROR",
	}
	for l, want := range tests {
		if got := logsink.LambdaLevelName(l); got != want {
			t.Errorf("LambdaLevelName(%v) = %s, want %s", l, got, want)
		}
	}
}
