package durableotel_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

const (
	incomingTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	incomingSpan   = "00f067aa0ba902b7"
	incomingHeader = "00-" + incomingTrace + "-" + incomingSpan + "-01"
)

func oneStep(ctx *durable.Context, _ json.RawMessage) (int, error) {
	return durable.Step(ctx, "s", func(*durable.StepContext) (int, error) { return 1, nil })
}

func spanNamed(t *testing.T, spans tracetest.SpanStubs, name string) tracetest.SpanStub {
	t.Helper()
	for _, s := range spans {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no span %q", name)
	return tracetest.SpanStub{}
}

func TestInputTraceContextIsLinked(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(oneStep, tel.options()...)
	in := json.RawMessage(`{"traceparent":"` + incomingHeader + `","order":1}`)
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	inv := spanNamed(t, tel.spans.GetSpans(), "durable invocation")
	if len(inv.Links) != 1 || inv.Links[0].SpanContext.TraceID().String() != incomingTrace ||
		inv.Links[0].SpanContext.SpanID().String() != incomingSpan {
		t.Fatalf("invocation links %+v, want the input's traceparent", inv.Links)
	}
	if inv.SpanContext.TraceID().String() == incomingTrace {
		t.Errorf("without WithJoinInputTrace the execution has its own trace")
	}
}

func TestJoinInputTrace(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(oneStep, tel.options(durableotel.WithJoinInputTrace())...)
	in := json.RawMessage(`{"traceparent":"` + incomingHeader + `"}`)
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	spans := tel.spans.GetSpans()
	for _, s := range spans {
		if s.SpanContext.TraceID().String() != incomingTrace {
			t.Errorf("span %q in trace %s, want the input's %s", s.Name, s.SpanContext.TraceID(), incomingTrace)
		}
	}
	if exec := spanNamed(t, spans, "durable execution"); exec.Parent.SpanID().String() != incomingSpan {
		t.Errorf("execution span's parent %s, want the input's span %s", exec.Parent.SpanID(), incomingSpan)
	}
}

func TestLambdaTraceHeaderIsLinked(t *testing.T) {
	t.Setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
	tel := newTelemetry(t)
	fn := durable.Handler(oneStep, tel.options()...)
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	inv := spanNamed(t, tel.spans.GetSpans(), "durable invocation")
	if len(inv.Links) != 1 || inv.Links[0].SpanContext.TraceID().String() != "5759e988bd862e3fe1be46a994272793" ||
		inv.Links[0].SpanContext.SpanID().String() != "53995c3f42cd8ad8" || !inv.Links[0].SpanContext.IsSampled() {
		t.Fatalf("invocation links %+v, want the X-Ray trace header", inv.Links)
	}
}

func TestChainedInvokeCarriesTraceContext(t *testing.T) {
	tel := newTelemetry(t)
	var calleeInput map[string]any
	callee := durable.Handler(func(ctx *durable.Context, in map[string]any) (string, error) {
		calleeInput = in
		return "done", nil
	}, tel.options()...)
	caller := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.Invoke[string](ctx, "call", "callee:$LATEST", map[string]int{"n": 1})
	}, tel.options()...)
	exec, err := durabletest.NewRunner(caller, durabletest.WithInvokeTarget("callee:$LATEST", callee)).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("run: %v %s", err, exec.Status())
	}
	call, _ := exec.FindOperation("call")
	var invokeSpan tracetest.SpanStub
	var calleeInvocations []tracetest.SpanStub
	for _, s := range tel.spans.GetSpans() {
		if s.Name == "ChainedInvoke call" {
			invokeSpan = s
		}
		if s.Name == "durable invocation" && len(s.Links) > 0 {
			calleeInvocations = append(calleeInvocations, s)
		}
	}
	if invokeSpan.SpanKind != trace.SpanKindClient {
		t.Errorf("invoke span kind %v, want client", invokeSpan.SpanKind)
	}
	want := "00-" + invokeSpan.SpanContext.TraceID().String() + "-" + invokeSpan.SpanContext.SpanID().String() + "-01"
	if calleeInput["traceparent"] != want || calleeInput["n"] != float64(1) {
		t.Errorf("callee input %v, want n=1 and traceparent %s (the invoke operation %s's span)", calleeInput, want, call.ID)
	}
	if len(calleeInvocations) != 1 || calleeInvocations[0].Links[0].SpanContext.SpanID() != invokeSpan.SpanContext.SpanID() {
		t.Errorf("the callee's invocation should link to the caller's invoke span")
	}
}

func TestInvokePayloadLeftAlone(t *testing.T) {
	p := durableotel.New(durableotel.WithTracerProvider(newTelemetry(t).tp))
	ctx := p.InvocationContext(context.Background(), &plugin.InvocationInfo{ExecutionArn: "arn:aws:lambda:us-east-1:1:function:f/durable-execution/x/y"})
	info := &plugin.OperationInfo{ID: "1", Type: protocol.OperationTypeChainedInvoke, Name: "call"}
	for _, payload := range []string{`[1,2]`, `"text"`, `{"traceparent":"mine"}`, `{not json`} {
		if got := p.InvokePayload(ctx, info, payload); got != payload {
			t.Errorf("payload %s became %s, want it unchanged", payload, got)
		}
	}
	if got := p.InvokePayload(ctx, info, ` {} `); !json.Valid([]byte(got)) || len(got) < 50 {
		t.Errorf("empty object became %s, want it to carry traceparent", got)
	}
	off := durableotel.New(durableotel.WithInvokePropagation(false), durableotel.WithPropagator(propagation.TraceContext{}))
	if got := off.InvokePayload(off.InvocationContext(context.Background(), &plugin.InvocationInfo{}), info, `{"a":1}`); got != `{"a":1}` {
		t.Errorf("WithInvokePropagation(false) changed the payload to %s", got)
	}
}

type errorRecorder struct {
	mu   sync.Mutex
	errs []error
}

func (r *errorRecorder) Handle(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

func TestProviderWithoutIDGeneratorIsReported(t *testing.T) {
	rec := &errorRecorder{}
	prev := otel.GetErrorHandler()
	otel.SetErrorHandler(rec)
	t.Cleanup(func() { otel.SetErrorHandler(prev) })
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	fn := durable.Handler(oneStep, durable.WithPlugins(durableotel.New(durableotel.WithTracerProvider(tp))))
	for range 2 {
		if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0].Error(), "NewIDGenerator") || len(exp.GetSpans()) == 0 {
		t.Fatalf("reported %v, want one error about the id generator", rec.errs)
	}
	t.Log(rec.errs[0])
}

func TestInvocationEndFlushesTheProviders(t *testing.T) {
	for _, flush := range []bool{true, false} {
		exp := tracetest.NewInMemoryExporter()
		tp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
			sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Hour)))
		opts := []durableotel.Option{durableotel.WithTracerProvider(tp)}
		if !flush {
			opts = append(opts, durableotel.WithoutFlush())
		}
		fn := durable.Handler(oneStep, durable.WithPlugins(durableotel.New(opts...)))
		if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if got := len(exp.GetSpans()) > 0; got != flush {
			t.Errorf("flush %v: spans exported before the batch timeout: %v", flush, got)
		}
		_ = tp.Shutdown(context.Background())
	}
}
