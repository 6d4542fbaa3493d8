package logsink_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/logsink"
)

func TestNewSlogLoggerNilHandlerUsesDefault(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	logsink.NewSlogLogger(nil).Info("through slog.Default")
	if !strings.Contains(buf.String(), "through slog.Default") {
		t.Errorf("output = %q, want the line on slog.Default's handler", buf.String())
	}
}

// recordHandler keeps the records it handles and the context of each.
type recordHandler struct {
	recs *[]slog.Record
	ctxs *[]context.Context
	min  slog.Level
}

func (h recordHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.min }
func (h recordHandler) Handle(ctx context.Context, r slog.Record) error {
	*h.recs = append(*h.recs, r)
	*h.ctxs = append(*h.ctxs, ctx)
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

type ctxKey struct{}

// TestSlogLoggerEmit checks what the handler receives from Emit: the
// Record's level, message, PC and attributes in order, the caller's
// context, a UTC time, and nothing for a level the handler disables.
func TestSlogLoggerEmit(t *testing.T) {
	var recs []slog.Record
	var ctxs []context.Context
	l := logsink.NewSlogLogger(recordHandler{&recs, &ctxs, slog.LevelInfo})
	ctx := context.WithValue(context.Background(), ctxKey{}, "trace-1")

	var r logsink.Record
	r.Level, r.Message, r.PC = slog.LevelWarn, "careful", 42
	r.AddAttrs(slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4), slog.Int("e", 5), slog.Int("f", 6))
	l.Emit(ctx, r)
	r.Level = slog.LevelDebug
	l.Emit(ctx, r)

	if len(recs) != 1 {
		t.Fatalf("handler got %d records, want 1 (the debug one is disabled)", len(recs))
	}
	got := recs[0]
	if got.Level != slog.LevelWarn || got.Message != "careful" || got.PC != 42 {
		t.Errorf("record = %v %q pc %d, want WARN careful pc 42", got.Level, got.Message, got.PC)
	}
	if got.Time.Location() != time.UTC {
		t.Errorf("record time in %v, want UTC", got.Time.Location())
	}
	var keys []string
	got.Attrs(func(a slog.Attr) bool { keys = append(keys, a.Key); return true })
	if strings.Join(keys, ",") != "a,b,c,d,e,f" {
		t.Errorf("attrs = %v, want a..f in order", keys)
	}
	if ctxs[0].Value(ctxKey{}) != "trace-1" {
		t.Errorf("handler did not get the caller's context")
	}
}
