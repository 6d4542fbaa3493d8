package zapadapter_test

import (
	"io"
	"testing"

	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	"github.com/durable-go/durable-go/core/logtest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// BenchmarkVsNative compares the adapter, through a durable context
// logger, with zap used directly (see logtest.CompareWithNative): dropped,
// disabled, and 5 fields via args, LogAttrs, durable.Extra (native:
// SugaredLogger.Infow) and the slog view.
func BenchmarkVsNative(b *testing.B) {
	native := zapadapter.NewLambdaLogger(zapcore.AddSync(io.Discard), zapcore.InfoLevel)
	bound := native.Sugar().With(logtest.Enrichment...).Desugar()
	sugar := bound.Sugar()
	v := &logtest.Bench
	logtest.CompareWithNative(b, zapadapter.New(native).With(logtest.Enrichment...), logtest.NativeCalls{
		Disabled: func() { bound.Debug("dropped", zap.String("id", v.ID), zap.Int("count", v.Count)) },
		Typed: func() {
			bound.Info("reserved", zap.String("id", v.ID), zap.Int("count", v.Count), zap.Bool("ok", v.OK),
				zap.Float64("ratio", v.Ratio), zap.Duration("wait", v.Wait))
		},
		Untyped: func() {
			sugar.Infow("reserved", "id", v.ID, "count", v.Count, "ok", v.OK, "ratio", v.Ratio, "wait", v.Wait)
		},
	})
}
