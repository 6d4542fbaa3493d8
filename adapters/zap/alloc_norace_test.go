//go:build !race

// The race detector's sync.Pool drops a quarter of what is put back, so
// zap's pooled entries allocate at random under -race: this comparison
// runs without it (CI's per-module go test run).

package zapadapter_test

import (
	"io"
	"testing"

	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// NewLambdaLogger's renaming core costs a line no allocation over zap's
// own core with the same encoder.
func TestLambdaLoggerAllocatesAsZapsCore(t *testing.T) {
	plain := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zapadapter.LambdaEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.DebugLevel))
	lambda := zapadapter.NewLambdaLogger(zapcore.AddSync(io.Discard), zapcore.DebugLevel)
	allocs := func(z *zap.Logger) float64 {
		z = z.With(zap.String("executionArn", "arn"))
		return testing.AllocsPerRun(100, func() { z.Info("m", zap.String("k", "v"), zap.Int("n", 1)) })
	}
	if got, want := allocs(lambda), allocs(plain); got != want {
		t.Errorf("%v allocations per line, zap's core makes %v", got, want)
	}
}
