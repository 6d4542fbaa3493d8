package durableotel_test

import (
	"context"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// An execution the sampler drops (here the README's ratio sampling, at
// ratio 0) is dropped for what the plugin hands on as well: the span
// contexts of every scope (the handler's, a step's, a child context's)
// and the trace context a chained invoke carries say "not sampled", as
// the invocation span's does, so that user spans under them and
// downstream services do not record parts of a trace whose spans were
// dropped.
func TestSampledOutExecutionPropagatesNotSampled(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	ratio := sdktrace.TraceIDRatioBased(0)
	tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
		sdktrace.WithSampler(sdktrace.ParentBased(ratio, sdktrace.WithRemoteParentSampled(ratio))),
		sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	opts := durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp)))

	scopes := map[string]trace.SpanContext{}
	var calleeInput map[string]any
	callee := durable.Handler(func(_ *durable.Context, in map[string]any) (int, error) {
		calleeInput = in
		return 1, nil
	}, opts)
	caller := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		scopes["handler"] = trace.SpanContextFromContext(ctx.Context())
		if _, err := durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			scopes["step"] = trace.SpanContextFromContext(sc.Context())
			return 1, nil
		}); err != nil {
			return 0, err
		}
		if _, err := durable.RunInChildContext(ctx, "c", func(c *durable.Context) (int, error) {
			scopes["child"] = trace.SpanContextFromContext(c.Context())
			return 1, nil
		}); err != nil {
			return 0, err
		}
		return durable.Invoke[int](ctx, "call", "callee", map[string]int{})
	}, opts)
	exec, err := durabletest.NewRunner(caller, durabletest.WithInvokeTarget("callee", callee)).Run(context.Background(), nil)
	if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
		t.Fatalf("run: %v %s", err, exec.Status())
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Fatalf("%d spans exported, want the sampler to drop them all", n)
	}
	for name, sc := range scopes {
		if !sc.IsValid() || sc.IsSampled() {
			t.Errorf("%s's span context %v: want a valid one, not sampled", name, sc)
		}
	}
	if tp, _ := calleeInput["traceparent"].(string); !strings.HasSuffix(tp, "-00") {
		t.Errorf("the callee's input carries traceparent %q, want one flagged not sampled", tp)
	}
}
