package zapadapter_test

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	durable "github.com/durable-go/durable-go/core"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Values held in variables, so the dynamic benchmarks pay the boxing a
// real call site pays.
var (
	benchOrder = "order-12345"
	benchItems = 1234
	benchTotal = 99.95
	benchPaid  = true
	benchTook  = 1500 * time.Millisecond
	benchErr   = errors.New("out of stock")
)

// benchZap returns a zap logger writing Lambda-shaped JSON to io.Discard
// at info level, so debug lines are disabled.
func benchZap() *zap.Logger {
	return zapadapter.NewLambdaLogger(zapcore.AddSync(io.Discard), zapcore.InfoLevel)
}

// asInterface hides l's type from the compiler, so calls go through the
// interface as they do from core, and the variadic slice escapes.
//
//go:noinline
func asInterface(l *zapadapter.Logger) durable.LoggerInterface { return l }

// enrichment is what core binds once per context.
var enrichment = []any{
	"executionArn", "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/abc/def",
	"requestId", "c6af9ac6-7b61-11e6-9a41-93e812345678",
	"operationId", "3f1c2a9b",
}

func BenchmarkNative(b *testing.B) {
	b.Run("disabled", func(b *testing.B) {
		z := benchZap()
		b.ReportAllocs()
		for b.Loop() {
			z.Debug("reserved", zap.String("order", benchOrder), zap.Int("items", benchItems))
		}
	})
	b.Run("5 fields", func(b *testing.B) {
		z := benchZap()
		b.ReportAllocs()
		for b.Loop() {
			z.Info("reserved",
				zap.String("order", benchOrder), zap.Int("items", benchItems), zap.Float64("total", benchTotal),
				zap.Bool("paid", benchPaid), zap.Duration("took", benchTook))
		}
	})
	b.Run("5 fields bound", func(b *testing.B) {
		z := benchZap().With(
			zap.String("executionArn", enrichment[1].(string)),
			zap.String("requestId", enrichment[3].(string)),
			zap.String("operationId", enrichment[5].(string)))
		b.ReportAllocs()
		for b.Loop() {
			z.Info("reserved",
				zap.String("order", benchOrder), zap.Int("items", benchItems), zap.Float64("total", benchTotal),
				zap.Bool("paid", benchPaid), zap.Duration("took", benchTook))
		}
	})
	b.Run("error", func(b *testing.B) {
		z := benchZap()
		b.ReportAllocs()
		for b.Loop() {
			z.Error("reserve failed", zap.Error(benchErr), zap.String("order", benchOrder))
		}
	})
}

func BenchmarkAdapter(b *testing.B) {
	b.Run("disabled args", func(b *testing.B) {
		l := zapadapter.New(benchZap())
		b.ReportAllocs()
		for b.Loop() {
			l.Debug("reserved", "order", "order-12345", "items", 12)
		}
	})
	b.Run("disabled attrs", func(b *testing.B) {
		l := zapadapter.New(benchZap())
		b.ReportAllocs()
		for b.Loop() {
			l.LogAttrs(durable.LevelDebug, "reserved", slog.String("order", benchOrder), slog.Int("items", benchItems))
		}
	})
	b.Run("5 fields args", func(b *testing.B) {
		l := zapadapter.New(benchZap())
		b.ReportAllocs()
		for b.Loop() {
			l.Info("reserved", "order", "order-12345", "items", 12, "total", 99.95, "paid", true, "took", time.Second)
		}
	})
	b.Run("5 fields args dynamic", func(b *testing.B) {
		l := zapadapter.New(benchZap())
		b.ReportAllocs()
		for b.Loop() {
			l.Info("reserved", "order", benchOrder, "items", benchItems, "total", benchTotal, "paid", benchPaid, "took", benchTook)
		}
	})
	b.Run("5 fields attrs", func(b *testing.B) {
		l := zapadapter.New(benchZap())
		b.ReportAllocs()
		for b.Loop() {
			l.LogAttrs(durable.LevelInfo, "reserved",
				slog.String("order", benchOrder), slog.Int("items", benchItems), slog.Float64("total", benchTotal),
				slog.Bool("paid", benchPaid), slog.Duration("took", benchTook))
		}
	})
	b.Run("5 fields bound args", func(b *testing.B) {
		l := zapadapter.New(benchZap()).With(enrichment...).(*zapadapter.Logger)
		b.ReportAllocs()
		for b.Loop() {
			l.Info("reserved", "order", "order-12345", "items", 12, "total", 99.95, "paid", true, "took", time.Second)
		}
	})
	b.Run("5 fields bound attrs", func(b *testing.B) {
		l := zapadapter.New(benchZap()).With(enrichment...).(*zapadapter.Logger)
		b.ReportAllocs()
		for b.Loop() {
			l.LogAttrs(durable.LevelInfo, "reserved",
				slog.String("order", benchOrder), slog.Int("items", benchItems), slog.Float64("total", benchTotal),
				slog.Bool("paid", benchPaid), slog.Duration("took", benchTook))
		}
	})
	b.Run("5 fields via LoggerInterface", func(b *testing.B) {
		l := asInterface(zapadapter.New(benchZap()))
		b.ReportAllocs()
		for b.Loop() {
			l.Info("reserved", "order", "order-12345", "items", 12, "total", 99.95, "paid", true, "took", time.Second)
		}
	})
	b.Run("error", func(b *testing.B) {
		l := zapadapter.New(benchZap())
		b.ReportAllocs()
		for b.Loop() {
			l.Exception("reserve failed", benchErr, "order", "order-12345")
		}
	})
}

// BenchmarkOverhead measures the adapter against native zap on a busy
// machine, where consecutive benchmarks see different loads: each op runs
// a block of native calls, then the same block through the adapter, and
// the fastest block of each (the one least disturbed) is reported per call
// with their ratio, x-native. Its ns/op covers both blocks and means
// little.
func BenchmarkOverhead(b *testing.B) {
	z := benchZap()
	zb := z.With(
		zap.String("executionArn", enrichment[1].(string)),
		zap.String("requestId", enrichment[3].(string)),
		zap.String("operationId", enrichment[5].(string)))
	a := zapadapter.New(z)
	ab := a.With(enrichment...).(*zapadapter.Logger)
	native := func(z *zap.Logger) func() {
		return func() {
			z.Info("reserved",
				zap.String("order", benchOrder), zap.Int("items", benchItems), zap.Float64("total", benchTotal),
				zap.Bool("paid", benchPaid), zap.Duration("took", benchTook))
		}
	}
	args := func(l *zapadapter.Logger) func() {
		return func() {
			l.Info("reserved", "order", "order-12345", "items", 12, "total", 99.95, "paid", true, "took", time.Second)
		}
	}
	attrs := func(l *zapadapter.Logger) func() {
		return func() {
			l.LogAttrs(durable.LevelInfo, "reserved",
				slog.String("order", benchOrder), slog.Int("items", benchItems), slog.Float64("total", benchTotal),
				slog.Bool("paid", benchPaid), slog.Duration("took", benchTook))
		}
	}
	tests := []struct {
		name            string
		native, adapter func()
	}{
		{"5 fields args", native(z), args(a)},
		{"5 fields attrs", native(z), attrs(a)},
		{"5 fields bound args", native(zb), args(ab)},
		{"5 fields bound attrs", native(zb), attrs(ab)},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			var fastNative, fastAdapter time.Duration
			for b.Loop() {
				fastNative = fastest(fastNative, block(tt.native))
				fastAdapter = fastest(fastAdapter, block(tt.adapter))
			}
			b.ReportMetric(float64(fastNative.Nanoseconds())/blockCalls, "native-ns/call")
			b.ReportMetric(float64(fastAdapter.Nanoseconds())/blockCalls, "adapter-ns/call")
			b.ReportMetric(float64(fastAdapter)/float64(fastNative), "x-native")
		})
	}
}

const blockCalls = 256

// block times blockCalls calls of f.
func block(f func()) time.Duration {
	start := time.Now()
	for range blockCalls {
		f()
	}
	return time.Since(start)
}

func fastest(best, d time.Duration) time.Duration {
	if best == 0 || d < best {
		return d
	}
	return best
}

// BenchmarkReplaying measures a call dropped because its context replays
// completed work. Core drops it before the adapter is called, so it costs
// the same whatever the logger; compare it with the native disabled call.
func BenchmarkReplaying(b *testing.B) {
	l := durable.NewLogger(zapadapter.New(zapadapter.NewLambdaLogger(zapcore.AddSync(io.Discard), zap.InfoLevel)), func() bool { return true })
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
