package logrusadapter_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	durable "github.com/durable-go/durable-go/core"
	"github.com/sirupsen/logrus"
)

// The benchmarks compare the adapter with logrus used directly, on the same
// logger writing JSON to io.Discard. "native" is what a logrus user writes
// by hand: logger.WithFields(...).Info(...). The loops use b.N rather
// than b.Loop, which stops the compiler inlining the calls in its body, so
// that slog.String and friends are inlined as they are in real code.

func benchLogger(level logrus.Level, f logrus.Formatter) *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(f)
	l.SetLevel(level)
	return l
}

// Enrichment as core binds it once per context.
var boundFields = logrus.Fields{
	"executionArn":  "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/exec-1",
	"requestId":     "c6af9ac6-7b61-11e6-9a41-93e812345678",
	"operationId":   "5f7b2c1a9e",
	"operationName": "reserve",
}

func bindArgs() []any {
	return []any{
		"executionArn", boundFields["executionArn"], "requestId", boundFields["requestId"],
		"operationId", boundFields["operationId"], "operationName", boundFields["operationName"],
	}
}

func BenchmarkDisabled(b *testing.B) {
	native := benchLogger(logrus.InfoLevel, &logrus.JSONFormatter{})
	adapter := logrusadapter.New(native)
	b.Run("native/WithFields", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			native.WithFields(logrus.Fields{"order": "o-1", "attempt": i}).Debug("reserving")
		}
	})
	b.Run("adapter/constant args", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			adapter.Debug("reserving", "order", "o-1", "attempt", 1)
		}
	})
	b.Run("adapter/dynamic args", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			adapter.Debug("reserving", "order", "o-1", "attempt", i)
		}
	})
	b.Run("adapter/LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			adapter.LogAttrs(slog.LevelDebug, "reserving", slog.String("order", "o-1"), slog.Int("attempt", i))
		}
	})
}

// BenchmarkFiveFields is an emitted line with five fields of mixed types.
func BenchmarkFiveFields(b *testing.B) {
	native := benchLogger(logrus.InfoLevel, &logrus.JSONFormatter{})
	adapter := logrusadapter.New(native)
	b.Run("native", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			native.WithFields(logrus.Fields{
				"order": "o-1", "attempt": i, "amount": 12.5, "express": true, "sku": "sku-42",
			}).Info("reserved")
		}
	})
	b.Run("adapter/args", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			adapter.Info("reserved", "order", "o-1", "attempt", i, "amount", 12.5, "express", true, "sku", "sku-42")
		}
	})
	b.Run("adapter/LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			adapter.LogAttrs(slog.LevelInfo, "reserved",
				slog.String("order", "o-1"), slog.Int("attempt", i), slog.Float64("amount", 12.5),
				slog.Bool("express", true), slog.String("sku", "sku-42"))
		}
	})
}

// BenchmarkBound is an emitted line with four bound enrichment fields and
// five of its own.
func BenchmarkBound(b *testing.B) {
	native := benchLogger(logrus.InfoLevel, &logrus.JSONFormatter{})
	nativeBound := native.WithFields(boundFields)
	adapter := logrusadapter.New(native).With(bindArgs()...).(*logrusadapter.Logger)
	b.Run("native", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			nativeBound.WithFields(logrus.Fields{
				"order": "o-1", "attempt": i, "amount": 12.5, "express": true, "sku": "sku-42",
			}).Info("reserved")
		}
	})
	b.Run("adapter/args", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			adapter.Info("reserved", "order", "o-1", "attempt", i, "amount", 12.5, "express", true, "sku", "sku-42")
		}
	})
	b.Run("adapter/LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			adapter.LogAttrs(slog.LevelInfo, "reserved",
				slog.String("order", "o-1"), slog.Int("attempt", i), slog.Float64("amount", 12.5),
				slog.Bool("express", true), slog.String("sku", "sku-42"))
		}
	})
}

// BenchmarkFormatter compares logrus's JSONFormatter with LambdaFormatter
// on the same bound line through the adapter.
func BenchmarkFormatter(b *testing.B) {
	formatters := []struct {
		name string
		f    logrus.Formatter
	}{
		{"JSONFormatter", &logrus.JSONFormatter{}},
		{"LambdaFormatter", logrusadapter.LambdaFormatter()},
	}
	for _, f := range formatters {
		adapter := logrusadapter.New(benchLogger(logrus.InfoLevel, f.f)).With(bindArgs()...)
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				adapter.Info("reserved", "order", "o-1", "attempt", i, "amount", 12.5, "express", true, "sku", "sku-42")
			}
		})
	}
}

// BenchmarkPaired runs native and adapter calls in alternating chunks and
// reports their time ratio, which stays meaningful on a busy machine where
// separate benchmarks drift apart. The lines are those of BenchmarkFiveFields
// and BenchmarkBound.
func BenchmarkPaired(b *testing.B) {
	native := benchLogger(logrus.InfoLevel, &logrus.JSONFormatter{})
	nativeBound := native.WithFields(boundFields)
	adapter := logrusadapter.New(native)
	bound := adapter.With(bindArgs()...).(*logrusadapter.Logger)
	nativeLine := func(e logrus.FieldLogger) func(int) {
		return func(i int) {
			e.WithFields(logrus.Fields{
				"order": "o-1", "attempt": i, "amount": 12.5, "express": true, "sku": "sku-42",
			}).Info("reserved")
		}
	}
	argsLine := func(l *logrusadapter.Logger) func(int) {
		return func(i int) {
			l.Info("reserved", "order", "o-1", "attempt", i, "amount", 12.5, "express", true, "sku", "sku-42")
		}
	}
	attrsLine := func(l *logrusadapter.Logger) func(int) {
		return func(i int) {
			l.LogAttrs(slog.LevelInfo, "reserved",
				slog.String("order", "o-1"), slog.Int("attempt", i), slog.Float64("amount", 12.5),
				slog.Bool("express", true), slog.String("sku", "sku-42"))
		}
	}
	b.Run("FiveFields/args", func(b *testing.B) { benchPair(b, nativeLine(native), argsLine(adapter)) })
	b.Run("FiveFields/LogAttrs", func(b *testing.B) { benchPair(b, nativeLine(native), attrsLine(adapter)) })
	b.Run("Bound/args", func(b *testing.B) { benchPair(b, nativeLine(nativeBound), argsLine(bound)) })
	b.Run("Bound/LogAttrs", func(b *testing.B) { benchPair(b, nativeLine(nativeBound), attrsLine(bound)) })
}

func benchPair(b *testing.B, native, adapter func(i int)) {
	const chunk = 64
	var tn, ta time.Duration
	for i := 0; i < b.N; i += chunk {
		n := min(chunk, b.N-i)
		t0 := time.Now()
		for j := range n {
			native(i + j)
		}
		t1 := time.Now()
		for j := range n {
			adapter(i + j)
		}
		tn += t1.Sub(t0)
		ta += time.Since(t1)
	}
	b.ReportMetric(float64(ta)/float64(tn), "adapter/native")
	b.ReportMetric(float64(tn.Nanoseconds())/float64(b.N), "native-ns/op")
	b.ReportMetric(float64(ta.Nanoseconds())/float64(b.N), "adapter-ns/op")
}

// BenchmarkReplaying measures a call dropped because its context replays
// completed work. Core drops it before the adapter is called, so it costs
// the same whatever the logger; compare it with the native disabled call.
func BenchmarkReplaying(b *testing.B) {
	l := durable.NewLogger(logrusadapter.New(logrusadapter.NewLambdaLogger(io.Discard, logrus.InfoLevel)), func() bool { return true })
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
