package zerologadapter_test

import (
	"io"
	"testing"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	"github.com/durable-go/durable-go/core/logtest"
	"github.com/rs/zerolog"
)

// BenchmarkVsNative compares the adapter, through a durable context
// logger, with zerolog used directly (see logtest.CompareWithNative):
// dropped, disabled, and 5 fields via args, LogAttrs, durable.Extra
// (native: Event.Fields with a map) and the slog view.
func BenchmarkVsNative(b *testing.B) {
	native := zerologadapter.NewLambdaLogger(io.Discard, zerolog.InfoLevel)
	bound := native.With().Fields(logtest.Enrichment).Logger()
	v := &logtest.Bench
	logtest.CompareWithNative(b, zerologadapter.New(native).With(logtest.Enrichment...), logtest.NativeCalls{
		Disabled: func() { bound.Debug().Str("id", v.ID).Int("count", v.Count).Msg("dropped") },
		Typed: func() {
			bound.Info().Str("id", v.ID).Int("count", v.Count).Bool("ok", v.OK).
				Float64("ratio", v.Ratio).Dur("wait", v.Wait).Msg("reserved")
		},
		Untyped: func() {
			bound.Info().Fields(map[string]any{"id": v.ID, "count": v.Count, "ok": v.OK, "ratio": v.Ratio, "wait": v.Wait}).Msg("reserved")
		},
	})
}

// BenchmarkLambdaWriter measures what the Lambda shape costs on top of a
// plain zerolog line: rewriting the line into a pooled buffer.
func BenchmarkLambdaWriter(b *testing.B) {
	v := &logtest.Bench
	line := func(l zerolog.Logger) {
		l.Info().Str("id", v.ID).Int("count", v.Count).Bool("ok", v.OK).
			Float64("ratio", v.Ratio).Dur("wait", v.Wait).Msg("reserved")
	}
	plain, lambda := zerolog.New(io.Discard), zerologadapter.NewLambdaLogger(io.Discard, zerolog.TraceLevel)
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			line(plain)
		}
	})
	b.Run("lambda", func(b *testing.B) {
		for b.Loop() {
			line(lambda)
		}
	})
}
