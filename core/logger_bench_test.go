package durable

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/internal/logattr"
	"github.com/durable-go/durable-go/core/logsink"
)

// Values that are not compile-time constants, so the compiler cannot
// pre-box them: the dynamic-args benchmarks measure what callers pay.
var (
	benchOrder = strconv.Itoa(123456)
	benchCount = 1000 + len(benchOrder)
)

var benchEnrichment = enrichment{
	executionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/exec-1/inv-1",
	requestID:    "c6af9ac6-7b61-11e6-9a41-93e812345678", operationID: "4f2b9c1a", operationName: "reserve", attempt: 1,
}

func benchLogger(env slog.Level, replaying bool, sink LoggerInterface) Logger {
	return newLogScope(context.Background(), newTestConfig(testEnv(env)), sink, benchEnrichment, replayingSource(replaying), nil).logger()
}

func discardLambdaHandler() slog.Handler {
	return slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: lambdaReplaceAttr})
}

// BenchmarkDropped measures calls dropped by the gates: replaying, or
// below the level. None may allocate beyond the caller's own boxing.
func BenchmarkDropped(b *testing.B) {
	sink := logsink.NewSlogLogger(discardLambdaHandler())
	for _, c := range []struct {
		name string
		log  Logger
		call func(Logger, int)
	}{
		{"Replaying/LogAttrs", benchLogger(slog.LevelInfo, true, sink), func(l Logger, i int) {
			l.LogAttrs(slog.LevelInfo, "reserved", slog.String("order", benchOrder), slog.Int("n", i))
		}},
		{"Replaying/ConstArgs", benchLogger(slog.LevelInfo, true, sink), func(l Logger, _ int) {
			l.Info("reserved", "order", "o-1", "n", 1)
		}},
		{"Replaying/DynamicArgs", benchLogger(slog.LevelInfo, true, sink), func(l Logger, i int) {
			l.Info("reserved", "order", benchOrder, "n", i+benchCount)
		}},
		{"Replaying/Infof", benchLogger(slog.LevelInfo, true, sink), func(l Logger, _ int) {
			l.Infof("reserved %s", "o-1")
		}},
		{"BelowLevel/LogAttrs", benchLogger(slog.LevelInfo, false, sink), func(l Logger, i int) {
			l.LogAttrs(slog.LevelDebug, "reserved", slog.String("order", benchOrder), slog.Int("n", i))
		}},
		{"BelowLevel/ConstArgs", benchLogger(slog.LevelInfo, false, sink), func(l Logger, _ int) {
			l.Debug("reserved", "order", "o-1", "n", 1)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				c.call(c.log, i)
			}
		})
	}
}

// BenchmarkEmitted5Fields compares an emitted line with 5 fields, the
// enrichment bound, through the context logger (over logsink.NewSlogLogger) and
// through a plain slog.Logger on the same handler.
func BenchmarkEmitted5Fields(b *testing.B) {
	h := discardLambdaHandler()
	ctxLog := benchLogger(slog.LevelInfo, false, logsink.NewSlogLogger(h))
	plain := slog.New(h).With(logattr.FlatArgs(enrichmentAttrs(context.Background(), benchEnrichment, CamelCase))...)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	b.Run("durable/LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			ctxLog.LogAttrs(slog.LevelInfo, "reserved", slog.String("order", benchOrder), slog.Int("n", i),
				slog.Bool("ok", true), slog.Float64("amount", 12.5), slog.Time("at", at))
		}
	})
	b.Run("slog/LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			plain.LogAttrs(b.Context(), slog.LevelInfo, "reserved", slog.String("order", benchOrder), slog.Int("n", i),
				slog.Bool("ok", true), slog.Float64("amount", 12.5), slog.Time("at", at))
		}
	})
	b.Run("durable/Args", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			ctxLog.Info("reserved", "order", benchOrder, "n", i, "ok", true, "amount", 12.5, "at", at)
		}
	})
	b.Run("slog/Args", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			plain.Info("reserved", "order", benchOrder, "n", i, "ok", true, "amount", 12.5, "at", at)
		}
	})
}

// BenchmarkSDKLogDisabled measures an SDK log call below its area's level,
// the common case in production.
func BenchmarkSDKLogDisabled(b *testing.B) {
	l := newSDKLoggers(lambdaEnv{level: slog.LevelInfo}, nil, slog.NewJSONHandler(io.Discard, nil)).get(areaCheckpoint)
	b.Run("Args", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			l.Debug("batch sent", "updates", 3)
		}
	})
	b.Run("LogAttrs", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			l.LogAttrs(b.Context(), slog.LevelDebug, "batch sent", slog.Int("updates", i))
		}
	})
}
