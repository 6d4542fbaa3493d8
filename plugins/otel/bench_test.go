package durableotel_test

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// The workloads of core's bench_test.go (BenchmarkSeq100, BenchmarkMap1000),
// each run without a plugin ("baseline") and with the plugin over the OTel
// SDK: a batching span processor with an exporter that drops the spans,
// and a meter provider with a manual reader ("otel"); the same with every
// span sampled out ("otel-unsampled"); over the API's no-op providers
// ("otel-noop"); and, for the floor under any such plugin, the SDK calls
// alone ("sdk-floor", see sdkFloor). Compare cpu-ms/op.

func seq100(opts ...durable.Option) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		for i := range 100 {
			if _, err := durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return i, nil }); err != nil {
				return 0, err
			}
			if i%10 == 9 {
				if err := durable.Wait(ctx, "", time.Second); err != nil {
					return 0, err
				}
			}
		}
		return 100, nil
	}, opts...)
}

func map1000(opts ...durable.Option) *durable.Function {
	items := make([]int, 1000)
	for i := range items {
		items[i] = i
	}
	return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "map1000", items, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(c, "", func(*durable.StepContext) (int, error) { return item * 2, nil })
		}, durable.WithMaxConcurrency(50))
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), res.Err()
	}, opts...)
}

// discard is a span exporter that drops everything.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

func BenchmarkSeq100(b *testing.B)  { benchOverhead(b, seq100) }
func BenchmarkMap1000(b *testing.B) { benchOverhead(b, map1000) }

func benchOverhead(b *testing.B, workload func(...durable.Option) *durable.Function) {
	b.Run("baseline", func(b *testing.B) { benchRuns(b, workload()) })
	b.Run("otel", func(b *testing.B) { benchPlugin(b, workload) })
	// The same with every span sampled out: the cost of the hooks, the
	// plugin and the SDK's span creation without recording.
	b.Run("otel-unsampled", func(b *testing.B) { benchPlugin(b, workload, sdktrace.WithSampler(sdktrace.NeverSample())) })
	// The plugin over the API's no-op providers: the cost of the hooks and
	// of the plugin's own code, without the SDK's.
	b.Run("otel-noop", func(b *testing.B) {
		benchRuns(b, workload(durable.WithPlugins(durableotel.New(
			durableotel.WithTracerProvider(tracenoop.NewTracerProvider()), durableotel.WithMeterProvider(metricnoop.NewMeterProvider())))))
	})
	// Not the plugin: the SDK calls its span model needs and nothing else
	// (see sdkFloor), over the providers of "otel". The floor under any
	// plugin that makes those spans.
	b.Run("sdk-floor", func(b *testing.B) {
		floor := newSDKFloor(b)
		benchRuns(b, workload(durable.WithPlugins(floor)))
	})
}

// sdkFloor is a plugin that makes, over the providers of the "otel"
// variants, what the span model asks of the SDK on the workloads
// and nothing more: a span per invocation, and one per operation with its
// service timestamps and the attributes of the plugin's operation spans
// (ids, name, type, subtype, status, attempts, outcome), its duration
// recorded in a histogram, and a flush of both providers at the end of
// each invocation. No span nests under its parent (parents would need
// derived ids), no attempt spans (the workloads' steps succeed at their
// first attempt, which has none), no other metric, no log or propagation
// hook, no state: its cost is the SDK's and the hooks'. The plugin
// cannot cost less than this.
type sdkFloor struct {
	plugin.Base
	tp  *sdktrace.TracerProvider
	mp  *sdkmetric.MeterProvider
	tr  trace.Tracer
	dur metric.Float64Histogram

	mu   sync.Mutex
	invs map[string]trace.Span // invocation spans, by request id
}

func newSDKFloor(b *testing.B) *sdkFloor {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	dur, err := mp.Meter("floor").Float64Histogram(durableotel.MetricOperationDuration)
	if err != nil {
		b.Fatal(err)
	}
	return &sdkFloor{tp: tp, mp: mp, tr: tp.Tracer("floor"), dur: dur, invs: map[string]trace.Span{}}
}

func (*sdkFloor) OmitOperations() {}

func (f *sdkFloor) OnInvocationStart(ctx context.Context, info *plugin.InvocationInfo) {
	_, span := f.tr.Start(ctx, "durable invocation", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(
		durableotel.KeyExecutionArn.String(info.ExecutionArn), durableotel.KeyInvocationFirst.Bool(info.IsFirstInvocation)))
	f.mu.Lock()
	f.invs[info.RequestID] = span
	f.mu.Unlock()
}

func (f *sdkFloor) OnInvocationEnd(ctx context.Context, info *plugin.InvocationInfo) {
	f.mu.Lock()
	span := f.invs[info.RequestID]
	delete(f.invs, info.RequestID)
	f.mu.Unlock()
	span.SetAttributes(durableotel.KeyInvocationStatus.String(string(info.Status)))
	span.End()
	_ = f.tp.ForceFlush(ctx)
	_ = f.mp.ForceFlush(ctx)
}

func (*sdkFloor) OnOperationStart(context.Context, *plugin.OperationInfo) {}

func (f *sdkFloor) OnOperationEnd(ctx context.Context, info *plugin.OperationInfo) {
	f.dur.Record(ctx, info.EndTimestamp.Sub(info.StartTimestamp).Seconds(), floorDurationAttrs)
	_, span := f.tr.Start(context.Background(), info.SubType, trace.WithTimestamp(info.StartTimestamp))
	span.SetAttributes(
		durableotel.KeyOperationID.String(info.ID), durableotel.KeyOperationName.String(info.Name),
		durableotel.KeyOperationType.String(string(info.Type)), durableotel.KeyOperationSubType.String(info.SubType),
		durableotel.KeyOperationStatus.String(string(info.Status)), durableotel.KeyParentID.String(info.ParentID),
		durableotel.KeyStepAttempts.Int(info.Attempt), durableotel.KeyAttemptOutcome.String(durableotel.OutcomeSucceeded))
	span.End(trace.WithTimestamp(info.EndTimestamp))
}

// floorDurationAttrs is the duration's attribute set, made once (the
// plugin caches its sets too).
var floorDurationAttrs = metric.WithAttributeSet(attribute.NewSet(
	durableotel.KeyOperationType.String("STEP"), durableotel.KeyOperationSubType.String("Step"),
	durableotel.KeyOperationStatus.String("SUCCEEDED")))

func benchPlugin(b *testing.B, workload func(...durable.Option) *durable.Function, opts ...sdktrace.TracerProviderOption) {
	plugin, shutdown := otelPlugin(opts...)
	defer shutdown()
	benchRuns(b, workload(plugin))
}

// otelPlugin registers the plugin over the SDK as the "otel" variants have
// it; shutdown shuts the providers down.
func otelPlugin(opts ...sdktrace.TracerProviderOption) (plugin durable.Option, shutdown func()) {
	tp := sdktrace.NewTracerProvider(append(opts,
		sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
		sdktrace.WithBatcher(discard{}))...)
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	return durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp), durableotel.WithMeterProvider(mp))), func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	}
}

func benchRuns(b *testing.B, fn *durable.Function) {
	b.ReportAllocs()
	var stats durabletest.Stats
	cpu0 := cpuTime()
	for b.Loop() {
		exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
		if err != nil || exec.Status() != "SUCCEEDED" {
			b.Fatalf("run: %v, status %s %+v", err, exec.Status(), exec.Error())
		}
		stats = exec.Stats()
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(stats.CheckpointCalls), "checkpoints")
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSDKSpan is the OTel SDK's own cost of one span as the plugin
// makes an operation's (remote parent, start and end timestamps, eight
// attributes), with the provider of the benchmarks above and no plugin
// code: the floor under the plugin's cost per span. "random-ids" uses the
// SDK's default id generator instead of NewIDGenerator's, "no-attributes"
// sets none.
func BenchmarkSDKSpan(b *testing.B) {
	idgen := sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil))
	b.Run("sampled", func(b *testing.B) { benchSDKSpan(b, true, idgen) })
	b.Run("sampled-random-ids", func(b *testing.B) { benchSDKSpan(b, true) })
	b.Run("sampled-no-attributes", func(b *testing.B) { benchSDKSpan(b, false, idgen) })
	b.Run("unsampled", func(b *testing.B) { benchSDKSpan(b, true, idgen, sdktrace.WithSampler(sdktrace.NeverSample())) })
}

func benchSDKSpan(b *testing.B, withAttrs bool, opts ...sdktrace.TracerProviderOption) {
	tp := sdktrace.NewTracerProvider(append(opts, sdktrace.WithBatcher(discard{}))...)
	defer func() { _ = tp.Shutdown(context.Background()) }()
	tracer := tp.Tracer("bench")
	parent := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled, Remote: true}))
	attrs := []attribute.KeyValue{
		durableotel.KeyOperationID.String("c4ca4238a0b92382"), durableotel.KeyOperationName.String(""),
		durableotel.KeyOperationType.String("STEP"), durableotel.KeyOperationSubType.String("Step"),
		durableotel.KeyOperationStatus.String("SUCCEEDED"), durableotel.KeyParentID.String("c81e728d9d4c2f63"),
		durableotel.KeyStepAttempts.Int(1), durableotel.KeyAttemptOutcome.String(durableotel.OutcomeSucceeded),
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		now := time.Now()
		_, span := tracer.Start(parent, "Step", trace.WithTimestamp(now))
		if span.IsRecording() && withAttrs {
			span.SetAttributes(attrs...)
		}
		span.End(trace.WithTimestamp(now))
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-µs/op")
}

// BenchmarkSDKHistogram is the OTel SDK's own cost of the one metric
// measurement the plugin makes per operation (its duration, with a
// ready attribute set, no exemplar), with the meter provider of the
// benchmarks above.
func BenchmarkSDKHistogram(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	h, err := mp.Meter("bench").Float64Histogram(durableotel.MetricOperationDuration)
	if err != nil {
		b.Fatal(err)
	}
	set := []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(
		durableotel.KeyOperationType.String("STEP"), durableotel.KeyOperationSubType.String("Step"),
		durableotel.KeyOperationStatus.String("SUCCEEDED")))}
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		h.Record(ctx, float64(i%100)/1000, set...)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-µs/op")
}

// BenchmarkSDKFlush is what the plugin's flush at the end of an invocation
// costs with the providers of the benchmarks above: ten spans and the
// flush of both providers ("flush"), against the ten spans alone.
func BenchmarkSDKFlush(b *testing.B) {
	for _, flush := range []bool{false, true} {
		name := "spans"
		if flush {
			name = "spans+flush"
		}
		b.Run(name, func(b *testing.B) {
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}))
			mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
			defer func() {
				_ = tp.Shutdown(context.Background())
				_ = mp.Shutdown(context.Background())
			}()
			tracer, ctx := tp.Tracer("bench"), context.Background()
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				for range 10 {
					_, span := tracer.Start(ctx, "Step")
					span.End()
				}
				if flush {
					if err := tp.ForceFlush(ctx); err != nil {
						b.Fatal(err)
					}
					if err := mp.ForceFlush(ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-µs/op")
		})
	}
}
