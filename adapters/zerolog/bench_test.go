package zerologadapter_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/rs/zerolog"
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

// benchLoggers returns a native zerolog.Logger and an adapter over it, both
// writing to io.Discard at info level.
func benchLoggers() (zerolog.Logger, *zerologadapter.Logger) {
	native := zerolog.New(io.Discard).Level(zerolog.InfoLevel)
	return native, zerologadapter.New(native)
}

// logNative5 writes the five benchmark fields with zerolog's typed methods,
// the fastest way zerolog offers.
func logNative5(e *zerolog.Event) {
	e.Str("id", benchID).Int("count", benchCount).Bool("ok", benchOK).
		Float64("ratio", benchRatio).Dur("wait", benchWait).Msg("reserved")
}

func BenchmarkDisabled(b *testing.B) {
	native, adapter := benchLoggers()
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			native.Debug().Str("id", benchID).Int("count", benchCount).Msg("dropped")
		}
	})
	b.Run("attrs/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.LogAttrs(durable.LevelDebug, "dropped", slog.String("id", benchID), slog.Int("count", benchCount))
		}
	})
	b.Run("const-args/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Debug("dropped", "id", "order-8f3a", "count", 3)
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
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			logNative5(native.Info())
		}
	})
	b.Run("args/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Info("reserved", "id", benchID, "count", benchCount, "ok", benchOK, "ratio", benchRatio, "wait", benchWait)
		}
	})
	b.Run("const-args/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Info("reserved", "id", "order-8f3a", "count", 3, "ok", true, "ratio", 0.75, "wait", 1500*time.Millisecond)
		}
	})
	b.Run("attrs/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.LogAttrs(durable.LevelInfo, "reserved",
				slog.String("id", benchID), slog.Int("count", benchCount), slog.Bool("ok", benchOK),
				slog.Float64("ratio", benchRatio), slog.Duration("wait", benchWait))
		}
	})
	b.Run("extra/adapter", func(b *testing.B) {
		for b.Loop() {
			adapter.Info("reserved", durable.Extra{"id": benchID, "count": benchCount, "ok": benchOK, "ratio": benchRatio, "wait": benchWait})
		}
	})
}

// enrichment is what core binds once per context: the fields every line
// of a step carries.
var enrichment = []any{
	"executionArn", "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/abc/def",
	"requestId", "c6af9ac6-7b61-11e6-9a41-93e812345678",
	"operationId", "c5fa0c4a1d2b3e4f",
	"operationName", "reserve",
	"attempt", 1,
}

// BenchmarkBound logs five call fields on a logger that has the context's
// enrichment bound, as core does with With.
func BenchmarkBound(b *testing.B) {
	native, adapter := benchLoggers()
	boundNative := native.With().Fields(enrichment).Logger()
	boundIface := adapter.With(enrichment...)
	boundAdapter := boundIface.(*zerologadapter.Logger)
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			logNative5(boundNative.Info())
		}
	})
	b.Run("args/adapter", func(b *testing.B) {
		for b.Loop() {
			boundAdapter.Info("reserved", "id", benchID, "count", benchCount, "ok", benchOK, "ratio", benchRatio, "wait", benchWait)
		}
	})
	b.Run("attrs/adapter", func(b *testing.B) {
		for b.Loop() {
			boundAdapter.LogAttrs(durable.LevelInfo, "reserved",
				slog.String("id", benchID), slog.Int("count", benchCount), slog.Bool("ok", benchOK),
				slog.Float64("ratio", benchRatio), slog.Duration("wait", benchWait))
		}
	})
	// Through the interface, as core calls it, the compiler cannot keep the
	// variadic slice on the caller's stack: one allocation at the call site.
	b.Run("attrs/adapter-interface", func(b *testing.B) {
		attrLogger := boundIface.(durable.AttrLogger)
		for b.Loop() {
			attrLogger.LogAttrs(durable.LevelInfo, "reserved",
				slog.String("id", benchID), slog.Int("count", benchCount), slog.Bool("ok", benchOK),
				slog.Float64("ratio", benchRatio), slog.Duration("wait", benchWait))
		}
	})
}

// BenchmarkLambdaWriter measures what the Lambda shape costs on top of a
// plain zerolog line: rewriting the line into a pooled buffer.
func BenchmarkLambdaWriter(b *testing.B) {
	plain := zerolog.New(io.Discard)
	lambda := zerologadapter.NewLambdaLogger(io.Discard, zerolog.TraceLevel)
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			logNative5(plain.Info())
		}
	})
	b.Run("lambda", func(b *testing.B) {
		for b.Loop() {
			logNative5(lambda.Info())
		}
	})
}

// BenchmarkReplaying measures a call dropped because its context replays
// completed work. Core drops it before the adapter is called, so it costs
// the same whatever the logger; compare it with the native disabled call.
func BenchmarkReplaying(b *testing.B) {
	l := durable.NewLogger(zerologadapter.New(zerologadapter.NewLambdaLogger(io.Discard, zerolog.InfoLevel)), func() bool { return true })
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
