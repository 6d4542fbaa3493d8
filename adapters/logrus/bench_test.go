package logrusadapter_test

import (
	"io"
	"testing"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	"github.com/durable-go/durable-go/core/logtest"
	"github.com/sirupsen/logrus"
)

// BenchmarkVsNative compares the adapter, through a durable context
// logger, with logrus used directly (see logtest.CompareWithNative):
// dropped, disabled, and 5 fields via args, LogAttrs, durable.Extra and
// the slog view. Native is what a logrus user writes,
// WithFields(logrus.Fields{...}).Info(...), on the same Lambda-shaped
// logger.
func BenchmarkVsNative(b *testing.B) {
	native := logrusadapter.NewLambdaLogger(io.Discard, logrus.InfoLevel)
	fields := logrus.Fields{}
	for i := 0; i < len(logtest.Enrichment); i += 2 {
		fields[logtest.Enrichment[i].(string)] = logtest.Enrichment[i+1]
	}
	bound := native.WithFields(fields)
	v := &logtest.Bench
	five := func() {
		bound.WithFields(logrus.Fields{"id": v.ID, "count": v.Count, "ok": v.OK, "ratio": v.Ratio, "wait": v.Wait}).Info("reserved")
	}
	logtest.CompareWithNative(b, logrusadapter.New(native).With(logtest.Enrichment...), logtest.NativeCalls{
		Disabled: func() { bound.WithFields(logrus.Fields{"id": v.ID, "count": v.Count}).Debug("dropped") },
		Typed:    five,
		Untyped:  five,
	})
}

// BenchmarkFormatter compares logrus's JSONFormatter with LambdaFormatter
// on the same line.
func BenchmarkFormatter(b *testing.B) {
	v := &logtest.Bench
	for _, f := range []struct {
		name string
		f    logrus.Formatter
	}{{"JSONFormatter", &logrus.JSONFormatter{}}, {"LambdaFormatter", logrusadapter.LambdaFormatter()}} {
		l := logrus.New()
		l.SetOutput(io.Discard)
		l.SetFormatter(f.f)
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l.WithFields(logrus.Fields{"id": v.ID, "count": v.Count, "ok": v.OK, "ratio": v.Ratio, "wait": v.Wait}).Info("reserved")
			}
		})
	}
}
