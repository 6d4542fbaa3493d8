package durableotel

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
	"go.opentelemetry.io/otel/trace/noop"
)

// The plugin derives a context per scope (child context, map item, step
// attempt) and one per span it starts with a derived id. With the trace
// package's functions each costs two allocations (the span value and the
// context) on top of the plugin's own; scopeContext is all of it in one.

// spanKey is the key under which package trace keeps a context's span,
// learnt once by asking trace.SpanFromContext and then checked: a
// scopeContext answering it must be what trace.SpanContextFromContext
// reads. nil if either failed (a later version of package trace may look
// spans up another way), and then the plugin falls back to
// trace.ContextWithRemoteSpanContext.
var spanKey = probeSpanKey()

func probeSpanKey() any {
	var k keyProbe
	trace.SpanFromContext(&k)
	if k.key == nil {
		return nil
	}
	want := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, Remote: true})
	probe := &keyedSpan{Context: context.Background(), key: k.key, span: remoteSpan{sc: want}}
	if !trace.SpanContextFromContext(probe).Equal(want) {
		return nil
	}
	return k.key
}

// keyedSpan answers key with its span, for probeSpanKey.
type keyedSpan struct {
	context.Context
	key  any
	span remoteSpan
}

func (c *keyedSpan) Value(key any) any {
	if key == c.key {
		return &c.span
	}
	return c.Context.Value(key)
}

// keyProbe records the key of the first Value call.
type keyProbe struct {
	context.Context
	key any
}

func (k *keyProbe) Value(key any) any {
	if k.key == nil {
		k.key = key
	}
	return nil
}

// scopeContext carries a remote span context (the span of a scope whose
// span is created later) and the invocation's state.
type scopeContext struct {
	context.Context
	span remoteSpan
	st   *invocation
}

// withSpan returns ctx carrying st and the non-recording span sc.
func (st *invocation) withSpan(ctx context.Context, sc trace.SpanContext) context.Context {
	if spanKey == nil {
		return trace.ContextWithRemoteSpanContext(ctx, sc)
	}
	return &scopeContext{Context: ctx, span: remoteSpan{sc: sc.WithRemote(true)}, st: st}
}

func (c *scopeContext) Value(key any) any {
	switch key {
	case spanKey:
		if c.span.sc.IsValid() {
			return &c.span
		}
	case stateKey{}:
		return c.st
	}
	return c.Context.Value(key)
}

// requestContext is the context a span with a derived id is started in:
// it carries the span's remote parent, the invocation's state and the ids
// requested for the span (NewIDGenerator).
type requestContext struct {
	scopeContext
	req requested
}

// request makes c a context asking NewIDGenerator for want's ids, under
// the remote parent (none: the span must be started with
// trace.WithNewRoot), on top of ctx. It fills c in place, so that a
// caller can allocate c with what else the span's start needs.
func (c *requestContext) request(st *invocation, ctx context.Context, want, parent trace.SpanContext) {
	if spanKey == nil && parent.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
		parent = trace.SpanContext{}
	}
	*c = requestContext{
		scopeContext: scopeContext{Context: ctx, span: remoteSpan{sc: parent.WithRemote(parent.IsValid())}, st: st},
		req:          requested{want.TraceID(), want.SpanID()},
	}
}

func (c *requestContext) Value(key any) any {
	switch key {
	case spanKey: // without parent, an invalid span: the request starts a root
		return &c.span
	case requestKey{}:
		return &c.req
	}
	return c.scopeContext.Value(key)
}

// remoteSpan is a non-recording span: a span context in a context, like
// the span trace.ContextWithSpanContext makes.
type remoteSpan struct {
	embedded.Span
	sc trace.SpanContext
}

func (s *remoteSpan) SpanContext() trace.SpanContext        { return s.sc }
func (*remoteSpan) IsRecording() bool                       { return false }
func (*remoteSpan) End(...trace.SpanEndOption)              {}
func (*remoteSpan) AddEvent(string, ...trace.EventOption)   {}
func (*remoteSpan) AddLink(trace.Link)                      {}
func (*remoteSpan) RecordError(error, ...trace.EventOption) {}
func (*remoteSpan) SetStatus(codes.Code, string)            {}
func (*remoteSpan) SetName(string)                          {}
func (*remoteSpan) SetAttributes(...attribute.KeyValue)     {}
func (*remoteSpan) TracerProvider() trace.TracerProvider    { return noop.NewTracerProvider() }
