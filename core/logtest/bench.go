package logtest

import (
	"log/slog"
	"math"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Bench holds the values of the benchmark lines' five fields (id, count,
// ok, ratio, wait), in variables so that calls through ...any pay the
// boxing a real call site pays. Native baselines log the same values.
var Bench = struct {
	ID    string
	Count int
	OK    bool
	Ratio float64
	Wait  time.Duration
}{"order-8f3a", 12345, true, 0.75, 1500 * time.Millisecond}

// Enrichment is what core binds once per step, as key/value pairs: bind
// it on the native logger as well as on the adapter.
var Enrichment = []any{
	"executionArn", "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/abc/def",
	"requestId", "c6af9ac6-7b61-11e6-9a41-93e812345678",
	"operationId", "c5fa0c4a1d2b3e4f",
	"operationName", "reserve",
	"attempt", 1,
}

// NativeCalls are the native logger's baselines for CompareWithNative,
// each on a native logger with Enrichment bound, at info level, writing
// where the adapter writes.
type NativeCalls struct {
	// Disabled logs id and count at debug level: dropped by the level.
	Disabled func()
	// Typed logs the five fields the native logger's fastest way (typed
	// fields where it has them).
	Typed func()
	// Untyped logs them through the native logger's key/value or map API.
	Untyped func()
}

// CompareWithNative benchmarks an adapter against its native logger, side
// by side: each case runs as <case>/native, <case>/adapter and
// <case>/paired, which alternates the two in runs of 64 calls and reports
// the fastest run of each, per call, and the adapter's as a multiple of
// the native one ("x-native"): figures that stay meaningful on a busy
// machine, where separate benchmarks see different loads. adapter is the adapter over the
// native logger (at info level) with Enrichment bound; the cases log
// through a durable context logger over it:
//
//   - dropped: a call dropped as replay (native: Disabled);
//   - disabled: a call below the logger's level (native: Disabled);
//   - args: five fields as ...any key/value pairs (native: Typed), and
//     args/paired-untyped, the same call paired with Untyped;
//   - attrs: five fields through LogAttrs (native: Typed);
//   - extra: five fields in a durable.Extra (native: Untyped),
//     extra/paired-typed, the same call paired with Typed, and
//     extra/call-site, building that Extra alone, paired with Typed: the
//     part of the call no logger can avoid;
//   - slog: five key/value pairs through the context logger's
//     *slog.Logger view (native: Typed).
func CompareWithNative(b *testing.B, adapter durable.LoggerInterface, native NativeCalls) {
	live := NewLogger(adapter, nil)
	replaying := NewLogger(adapter, func() bool { return true })
	view := live.Slog()
	v := &Bench
	compare(b, "dropped", native.Disabled, func() {
		replaying.LogAttrs(slog.LevelInfo, "dropped", slog.String("id", v.ID), slog.Int("count", v.Count))
	})
	compare(b, "disabled", native.Disabled, func() {
		live.LogAttrs(slog.LevelDebug, "dropped", slog.String("id", v.ID), slog.Int("count", v.Count))
	})
	args := func() {
		live.Info("reserved", "id", v.ID, "count", v.Count, "ok", v.OK, "ratio", v.Ratio, "wait", v.Wait)
	}
	compare(b, "args", native.Typed, args)
	// The same call against the native logger's own key/value or map
	// API, which boxes the values as the call site does.
	b.Run("args/paired-untyped", func(b *testing.B) { paired(b, native.Untyped, args) })
	compare(b, "attrs", native.Typed, func() {
		live.LogAttrs(slog.LevelInfo, "reserved", slog.String("id", v.ID), slog.Int("count", v.Count),
			slog.Bool("ok", v.OK), slog.Float64("ratio", v.Ratio), slog.Duration("wait", v.Wait))
	})
	extra := func() {
		live.Info("reserved", durable.Extra{"id": v.ID, "count": v.Count, "ok": v.OK, "ratio": v.Ratio, "wait": v.Wait})
	}
	compare(b, "extra", native.Untyped, extra)
	b.Run("extra/paired-typed", func(b *testing.B) { paired(b, native.Typed, extra) })
	// What the call site alone costs: building the Extra and boxing its
	// values, handed on as the logging call hands them, logging nothing.
	b.Run("extra/call-site", func(b *testing.B) {
		paired(b, native.Typed, func() {
			keep("reserved", durable.Extra{"id": v.ID, "count": v.Count, "ok": v.OK, "ratio": v.Ratio, "wait": v.Wait})
		})
		if len(kept) != 1 {
			b.Fatalf("the call site handed on %d args, want the Extra", len(kept))
		}
	})
	compare(b, "slog", native.Typed, func() {
		view.Info("reserved", "id", v.ID, "count", v.Count, "ok", v.OK, "ratio", v.Ratio, "wait", v.Wait)
	})
}

// kept is where keep leaves its args, so that they escape as a logging
// call's do.
var kept []any

// keep stands for a logging call that does nothing with its args.
//
//go:noinline
func keep(_ string, args ...any) { kept = args }

// compare runs one case natively, through the adapter, and paired.
func compare(b *testing.B, name string, native, adapter func()) {
	b.Helper()
	for _, side := range []struct {
		name string
		f    func()
	}{{"native", native}, {"adapter", adapter}} {
		b.Run(name+"/"+side.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				side.f()
			}
		})
	}
	b.Run(name+"/paired", func(b *testing.B) { paired(b, native, adapter) })
}

// paired alternates native and adapter in runs of 64 calls and reports
// the fastest run of each, per call, and their ratio.
func paired(b *testing.B, native, adapter func()) {
	const run = 64
	minN, minA := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for i := 0; i < b.N; i += run {
		t0 := time.Now()
		for range run {
			native()
		}
		t1 := time.Now()
		for range run {
			adapter()
		}
		minN, minA = min(minN, t1.Sub(t0)), min(minA, time.Since(t1))
	}
	b.ReportMetric(float64(minN)/run, "native-ns")
	b.ReportMetric(float64(minA)/run, "adapter-ns")
	b.ReportMetric(float64(minA)/float64(minN), "x-native")
}
