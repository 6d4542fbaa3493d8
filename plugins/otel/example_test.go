package durableotel_test

import (
	"context"
	"fmt"
	"sort"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// Example traces a durable function that waits between two steps: two
// invocations, one trace. In Lambda, export with a batcher to your
// collector and call lambda.Start(fn) instead of the local runner.
func Example() {
	exporter := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)), // spans nest across invocations
		sdktrace.WithSyncer(exporter))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))

	fn := durable.Handler(func(ctx *durable.Context, name string) (string, error) {
		if _, err := durable.Step(ctx, "reserve", func(sc *durable.StepContext) (int, error) {
			// sc.Context() carries the step's span: pass it to HTTP clients.
			return 1, nil
		}); err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "cool down", time.Minute); err != nil {
			return "", err
		}
		return durable.Step(ctx, "confirm", func(*durable.StepContext) (string, error) { return "hello " + name, nil })
	}, durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp), durableotel.WithMeterProvider(mp))))

	exec, err := durabletest.NewRunner(fn).Run(context.Background(), "ada")
	if err != nil {
		panic(err)
	}
	spans := exporter.GetSpans()
	traces := map[string]bool{}
	var names []string
	for _, s := range spans {
		traces[s.SpanContext.TraceID().String()] = true
		names = append(names, s.Name)
	}
	sort.Strings(names)
	fmt.Println(exec.Status(), len(exec.Invocations()), "invocations,", len(traces), "trace")
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// SUCCEEDED 2 invocations, 1 trace
	// Step confirm
	// Step reserve
	// Wait cool down
	// durable execution
	// durable invocation
	// durable invocation
}
