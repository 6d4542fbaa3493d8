package slogadapter_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	"github.com/durable-go/durable-go/core/logtest"
)

// BenchmarkVsNative compares the adapter, through a durable context
// logger, with a slog.Logger on the same Lambda-shaped handler (see
// logtest.CompareWithNative): dropped, disabled, and 5 fields via args,
// LogAttrs, durable.Extra and the slog view. Native is
// slog.Logger.LogAttrs, and slog.Logger.Info with key/value pairs for
// extra.
func BenchmarkVsNative(b *testing.B) {
	h := slogadapter.NewLambdaHandler(io.Discard, slog.LevelInfo)
	bound := slog.New(h).With(logtest.Enrichment...)
	v := &logtest.Bench
	ctx := context.Background()
	logtest.CompareWithNative(b, slogadapter.NewHandler(h).With(logtest.Enrichment...), logtest.NativeCalls{
		Disabled: func() {
			bound.LogAttrs(ctx, slog.LevelDebug, "dropped", slog.String("id", v.ID), slog.Int("count", v.Count))
		},
		Typed: func() {
			bound.LogAttrs(ctx, slog.LevelInfo, "reserved", slog.String("id", v.ID), slog.Int("count", v.Count),
				slog.Bool("ok", v.OK), slog.Float64("ratio", v.Ratio), slog.Duration("wait", v.Wait))
		},
		Untyped: func() {
			bound.Info("reserved", "id", v.ID, "count", v.Count, "ok", v.OK, "ratio", v.Ratio, "wait", v.Wait)
		},
	})
}
