package durableotel_test

import (
	"context"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// envGlobal runs TestGlobalProvidersAreFlushed's body in a process of its
// own: the global providers delegate only to the first ones set.
const envGlobal = "DURABLEOTEL_TEST_GLOBAL"

// countingExporter counts metric exports.
type countingExporter struct{ exports atomic.Int32 }

func (*countingExporter) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return sdkmetric.DefaultTemporalitySelector(k)
}

func (*countingExporter) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}

func (e *countingExporter) Export(context.Context, *metricdata.ResourceMetrics) error {
	e.exports.Add(1)
	return nil
}
func (*countingExporter) ForceFlush(context.Context) error { return nil }
func (*countingExporter) Shutdown(context.Context) error   { return nil }

// Without WithTracerProvider and WithMeterProvider the plugin uses the
// global providers, and flushes them at the end of each invocation like
// any other: also when the handler (and so the plugin) was built before
// the application set them, as a package-level handler is.
func TestGlobalProvidersAreFlushed(t *testing.T) {
	if os.Getenv(envGlobal) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGlobalProvidersAreFlushed$", "-test.count=1")
		cmd.Env = append(os.Environ(), envGlobal+"=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	fn := durable.Handler(oneStep, durable.WithPlugins(durableotel.New()))

	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
		sdktrace.WithBatcher(spans, sdktrace.WithBatchTimeout(time.Hour)))
	metrics := &countingExporter{}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics, sdkmetric.WithInterval(time.Hour))))
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)

	if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(spans.GetSpans()) == 0 || metrics.exports.Load() == 0 {
		t.Errorf("at the invocation's end: %d spans and %d metric exports, want both providers flushed",
			len(spans.GetSpans()), metrics.exports.Load())
	}
	_ = tp.Shutdown(context.Background())
	_ = mp.Shutdown(context.Background())
}
