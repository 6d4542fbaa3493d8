package slogadapter_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	durable "github.com/durable-go/durable-go/core"
)

// Field values live in variables so that passing them through ...any boxes
// them, as it does in real code.
var (
	benchID    = "order-8f3a"
	benchCount = 12345
	benchOK    = true
	benchRatio = 0.75
	benchWait  = 1500 * time.Millisecond
)

// benchLoggers returns a native *slog.Logger and an adapter over the same
// JSON handler writing to io.Discard at INFO.
func benchLoggers() (*slog.Logger, *slogadapter.Logger) {
	native := slog.New(slog.NewJSONHandler(io.Discard, nil))
	return native, slogadapter.New(native)
}

func BenchmarkDisabled(b *testing.B) {
	native, adapter := benchLoggers()
	b.Run("attrs/native", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			native.LogAttrs(ctx, slog.LevelDebug, "dropped", slog.String("id", benchID), slog.Int("count", benchCount))
		}
	})
	b.Run("attrs/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.LogAttrs(durable.LevelDebug, "dropped", slog.String("id", benchID), slog.Int("count", benchCount))
		}
	})
	b.Run("const-args/native", func(b *testing.B) {
		for b.Loop() {
			native.Debug("dropped", "id", "order-8f3a", "count", 3)
		}
	})
	b.Run("const-args/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Debug("dropped", "id", "order-8f3a", "count", 3)
		}
	})
	b.Run("dynamic-args/native", func(b *testing.B) {
		for b.Loop() {
			native.Debug("dropped", "id", benchID, "count", benchCount)
		}
	})
	b.Run("dynamic-args/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Debug("dropped", "id", benchID, "count", benchCount)
		}
	})
}

func BenchmarkEmitted5Fields(b *testing.B) {
	native, adapter := benchLoggers()
	b.Run("args/native", func(b *testing.B) {
		for b.Loop() {
			native.Info("reserved", "id", benchID, "count", benchCount, "ok", benchOK, "ratio", benchRatio, "wait", benchWait)
		}
	})
	b.Run("args/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Info("reserved", "id", benchID, "count", benchCount, "ok", benchOK, "ratio", benchRatio, "wait", benchWait)
		}
	})
	b.Run("attrs/native", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			native.LogAttrs(ctx, slog.LevelInfo, "reserved", slog.String("id", benchID), slog.Int("count", benchCount),
				slog.Bool("ok", benchOK), slog.Float64("ratio", benchRatio), slog.Duration("wait", benchWait))
		}
	})
	b.Run("attrs/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.LogAttrs(durable.LevelInfo, "reserved", slog.String("id", benchID), slog.Int("count", benchCount),
				slog.Bool("ok", benchOK), slog.Float64("ratio", benchRatio), slog.Duration("wait", benchWait))
		}
	})
	b.Run("extra/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Info("reserved", durable.Extra{"id": benchID, "count": benchCount, "ok": benchOK, "ratio": benchRatio, "wait": benchWait})
		}
	})
}

// BenchmarkBound logs one call field on a logger that has the context's
// enrichment bound, as core does with With.
func BenchmarkBound(b *testing.B) {
	native, adapter := benchLoggers()
	enrichment := []any{
		"executionArn", "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/abc/def",
		"requestId", "c6af9ac6-7b61-11e6-9a41-93e812345678",
		"operationId", "c5fa0c4a1d2b3e4f",
		"operationName", "reserve",
		"attempt", 1,
	}
	boundNative := native.With(enrichment...)
	boundIface := adapter.With(enrichment...)
	boundAdapter := boundIface.(*slogadapter.Logger)
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			boundNative.Info("reserved", "id", benchID)
		}
	})
	b.Run("adapter", func(b *testing.B) {
		for b.Loop() {
			boundAdapter.Info("reserved", "id", benchID)
		}
	})
	// Through the interface, as core calls it, the compiler cannot keep the
	// variadic slice on the caller's stack: one allocation at the call site.
	b.Run("adapter-interface", func(b *testing.B) {
		for b.Loop() {
			boundIface.Info("reserved", "id", benchID)
		}
	})
}

// BenchmarkReplaying measures a call dropped because its context replays
// completed work. Core drops it before the adapter is called, so it costs
// the same whatever the logger; compare it with the native disabled call.
func BenchmarkReplaying(b *testing.B) {
	l := durable.NewLogger(slogadapter.NewHandler(slogadapter.NewLambdaHandler(io.Discard, slog.LevelInfo)), func() bool { return true })
	n := 42
	b.Run("LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.LogAttrs(durable.LevelInfo, "order placed", slog.String("order", "o-1"), slog.Int("n", n))
		}
	})
	b.Run("args", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.Info("order placed", "order", "o-1", "n", n)
		}
	})
}
