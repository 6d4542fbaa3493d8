// Package durableotel instruments durable functions with OpenTelemetry:
// one trace per durable execution across all its invocations, spans for
// invocations, operations and step attempts, metrics, and trace and span
// ids on every line of the replay-aware loggers.
//
//	tp := sdktrace.NewTracerProvider(
//		sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
//		sdktrace.WithBatcher(exporter))
//	lambda.Start(durable.Handler(process, durable.WithPlugins(
//		durableotel.New(durableotel.WithTracerProvider(tp), durableotel.WithMeterProvider(mp)))))
//
// # Traces across invocations
//
// A durable execution runs as several Lambda invocations, possibly on
// different instances, and an operation may start in one and end in
// another (a wait, a callback, a retried step). So that every invocation
// joins the same trace and spans nest across invocations without any
// state kept between them, ids are derived, not remembered: the trace id
// from the execution (the first 4 bytes are the execution's start time in
// Unix seconds, as X-Ray expects, the other 12 a SHA-256 of its ARN), and
// the span id of the execution and of each operation from the trace id,
// the ARN and the operation id.
//
// Spans are then created where their outcome is known:
//   - the execution span ("durable execution", the root) when the
//     execution ends, from its start to its end;
//   - an invocation span ("durable invocation", child of the execution)
//     around each invocation: user code in the handler's root context runs
//     under it;
//   - an operation span (named "<SubType> <name>") once per operation,
//     when an invocation observes it terminal, from the START timestamp
//     to the end timestamp the service recorded, as a child of its parent
//     context's operation span (or of the execution span at the top
//     level). A wait or callback span thus covers its real duration, and
//     operations replayed by later invocations produce no new span. A
//     map item or branch its batch completed without ends with the
//     batch, marked durable.operation.abandoned;
//   - an attempt span ("<SubType> <name> attempt", child of its step's
//     span) for each executed attempt of a step (or check of a
//     wait-for-condition) that has several attempts or fails, with the
//     attempt number, outcome and retry delay. A step that succeeds at
//     its first attempt has none: its operation span carries the
//     attempt's outcome (and durable.step.attempts = 1). A first attempt
//     runs under its step's span context and gets its span, with its
//     real start and end, once it failed or was retried; later attempts
//     start theirs when they start.
//
// A parent span is created after its children, possibly in a later
// invocation; children refer to it through its derived span id. For the
// SDK to give spans those ids, the tracer provider must use the generator
// of NewIDGenerator (it hands out random ids for every other span). A
// provider that ignores the requested ids is reported once through
// otel.Handle; its spans still share the execution's trace, but their
// parent ids point at spans with other ids.
//
// Sampling: the invocation span has the execution's as a sampled remote
// parent, so a parent-based sampler keeps it; the other spans' remote
// parents, the scopes' span contexts and the trace context of chained
// invokes carry the sampler's decision for the invocation span. For ratio
// sampling consistent across
// invocations use the trace-id based sampler for roots and remote parents
// alike, e.g. ParentBased(TraceIDRatioBased(r),
// WithRemoteParentSampled(TraceIDRatioBased(r))).
//
// # Propagation
//
// The invocation span links to the Lambda trace header of the invocation
// (the "x-amzn-trace-id" context value aws-lambda-go sets, or the
// _X_AMZN_TRACE_ID environment variable) and to a trace context carried
// in the execution input: top-level string fields of a JSON object input,
// read with the propagator (W3C traceparent by default). With
// WithJoinInputTrace the execution joins that trace instead of starting
// its own. Chained invokes carry the invoke operation's span context the
// same way: when the input is a JSON object, the propagator's fields
// (traceparent) are added to it before it is checkpointed, unless it
// already has them (see WithInvokePropagation).
//
// # Logs
//
// Every line of Context.Logger and StepContext.Logger carries traceId and
// spanId: of the invocation span in the handler's root context, of the
// child context's operation span in a child context, map item or branch,
// and in a step of the step's span (first attempt) or of the attempt's
// span (later attempts). See WithLogKeys and WithXRayLogFormat.
//
// # Deadline
//
// An invocation still running shortly before its context's deadline
// (Lambda's timeout) would be stopped before its spans end: the plugin
// ends the invocation span (ErrInvocationDeadline) and the running
// attempts' spans 500 ms before the deadline, records the invocation's
// metrics and flushes the providers.
package durableotel

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/durable-go/durable-go/core/plugin"
)

// ScopeName is the instrumentation scope of the plugin's tracer and meter.
const ScopeName = "github.com/durable-go/durable-go/plugins/otel"

// Option configures New.
type Option func(*config)

type config struct {
	tp                trace.TracerProvider
	mp                metric.MeterProvider
	prop              propagation.TextMapPropagator
	traceKey, spanKey string
	xray, noLogs      bool
	noInvoke, join    bool
	noFlush           bool
	// globalTP and globalMP: tp and mp are the global providers, as they
	// were when New ran (see flush).
	globalTP, globalMP bool
}

// WithTracerProvider sets the tracer provider (default: the global one,
// otel.GetTracerProvider). Give it the ids of NewIDGenerator.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the meter provider (default: the global one,
// otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithPropagator sets how trace context is read from the execution input
// and written into chained-invoke payloads (default: W3C trace context).
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.prop = p }
}

// WithLogKeys names the log fields carrying the trace and span ids
// (default "traceId" and "spanId").
func WithLogKeys(traceKey, spanKey string) Option {
	return func(c *config) { c.traceKey, c.spanKey = traceKey, spanKey }
}

// WithXRayLogFormat writes the trace id of log lines in X-Ray's form,
// 1-<8 hex digits>-<24 hex digits>, instead of 32 hex digits.
func WithXRayLogFormat() Option { return func(c *config) { c.xray = true } }

// WithoutLogFields leaves trace and span ids out of log lines.
func WithoutLogFields() Option { return func(c *config) { c.noLogs = true } }

// WithInvokePropagation says whether chained invokes carry trace context
// in their JSON object payloads (default true).
func WithInvokePropagation(on bool) Option { return func(c *config) { c.noInvoke = !on } }

// WithoutFlush stops the plugin from flushing the providers at the end of
// each invocation. By default it calls ForceFlush on the tracer and meter
// providers that have one (the SDK's do), so that nothing waits in a
// batch while Lambda freezes the environment; leave it to an extension
// (such as the ADOT layer's) with this option.
func WithoutFlush() Option { return func(c *config) { c.noFlush = true } }

// WithJoinInputTrace makes an execution whose input carries a trace
// context part of that trace: its execution span becomes a child of the
// incoming span context instead of a root linked to it. The input is
// checkpointed, so every invocation joins the same trace.
func WithJoinInputTrace() Option { return func(c *config) { c.join = true } }

// Plugin is the OpenTelemetry plugin; register it with durable.WithPlugins.
// It implements package plugin's InvocationHook, OperationHook, AttemptHook,
// ContextHook, LogAttrsHook, CheckpointHook and InvokeHook.
type Plugin struct {
	plugin.Base
	cfg    config
	tracer trace.Tracer
	m      *instruments

	idsOnce sync.Once // reports a provider ignoring requested ids
}

// New returns the plugin.
func New(opts ...Option) *Plugin {
	cfg := config{traceKey: "traceId", spanKey: "spanId", prop: propagation.TraceContext{}}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.tp == nil {
		cfg.tp, cfg.globalTP = otel.GetTracerProvider(), true
	}
	if cfg.mp == nil {
		cfg.mp, cfg.globalMP = otel.GetMeterProvider(), true
	}
	return &Plugin{
		cfg:    cfg,
		tracer: cfg.tp.Tracer(ScopeName),
		m:      newInstruments(cfg.mp.Meter(ScopeName)),
	}
}

// The plugin implements these core hooks.
var (
	_ plugin.InvocationHook = (*Plugin)(nil)
	_ plugin.OperationHook  = (*Plugin)(nil)
	_ plugin.AttemptHook    = (*Plugin)(nil)
	_ plugin.ContextHook    = (*Plugin)(nil)
	_ plugin.LogAttrsHook   = (*Plugin)(nil)
	_ plugin.CheckpointHook = (*Plugin)(nil)
	_ plugin.InvokeHook     = (*Plugin)(nil)

	_ plugin.OperationsOptOut = (*Plugin)(nil)
)

// OmitOperations tells the runtime that the plugin reads no Operations
// map of the hooks' infos (plugin.OperationsOptOut).
func (p *Plugin) OmitOperations() {}

// stateKey holds the invocation's state in the contexts the plugin derives.
type stateKey struct{}

func stateOf(ctx context.Context) *invocation {
	if c, ok := ctx.(*scopeContext); ok {
		return c.span.st
	}
	st, _ := ctx.Value(stateKey{}).(*invocation)
	return st
}
