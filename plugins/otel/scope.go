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
	st := &invocation{traceID: trace.TraceID{1}}
	want := st.remote(trace.SpanID{2})
	probe := &keyedSpan{Context: context.Background(), key: k.key, span: remoteSpan{st: st, id: want.SpanID()}}
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

// scopeContext carries the span context of a scope whose span is
// created later (a derived span id of the invocation's trace) and the
// invocation's state. It is 48 bytes: the span context is made from the
// state's trace id and flags when asked for.
type scopeContext struct {
	context.Context
	span remoteSpan
}

// withSpan returns ctx carrying st and the non-recording span with the
// derived span id id (st.spanID).
func (st *invocation) withSpan(ctx context.Context, id trace.SpanID) context.Context {
	if spanKey == nil {
		return trace.ContextWithRemoteSpanContext(ctx, st.remote(id))
	}
	return &scopeContext{Context: ctx, span: remoteSpan{st: st, id: id}}
}

func (c *scopeContext) Value(key any) any {
	switch key {
	case spanKey:
		if c.span.id.IsValid() {
			return &c.span
		}
	case stateKey{}:
		return c.span.st
	}
	return c.Context.Value(key)
}

// requestContext is the context a span with a derived id is started in:
// it carries the span's remote parent, the invocation's state and the
// span id requested for the span (NewIDGenerator), in the invocation's
// trace.
type requestContext struct {
	scopeContext
	want trace.SpanID
}

// request makes c a context asking NewIDGenerator for the span id want,
// under the derived span parent of the invocation's trace, on top of ctx.
// Without parent (a zero id) the span's parent is the span of ctx, if any
// (a joined input trace's); without either, the span must be started with
// trace.WithNewRoot. It fills c in place, so that a caller can allocate c
// with what else the span's start needs.
func (c *requestContext) request(st *invocation, ctx context.Context, want, parent trace.SpanID) {
	if spanKey == nil && parent.IsValid() {
		ctx, parent = trace.ContextWithRemoteSpanContext(ctx, st.remote(parent)), trace.SpanID{}
	}
	*c = requestContext{scopeContext: scopeContext{Context: ctx, span: remoteSpan{st: st, id: parent}}, want: want}
}

// ids are the trace and span id requested.
func (c *requestContext) ids() (trace.TraceID, trace.SpanID) { return c.span.st.traceID, c.want }

func (c *requestContext) Value(key any) any {
	if key == (requestKey{}) {
		return c
	}
	return c.scopeContext.Value(key)
}

// remoteSpan is a non-recording span: a span context in a context, like
// the span trace.ContextWithSpanContext makes. Its span context is the
// remote one with span id id in st's trace (invalid for a zero id).
type remoteSpan struct {
	embedded.Span
	st *invocation
	id trace.SpanID
}

func (s *remoteSpan) SpanContext() trace.SpanContext {
	if !s.id.IsValid() {
		return trace.SpanContext{}
	}
	return s.st.remote(s.id)
}

func (*remoteSpan) IsRecording() bool                       { return false }
func (*remoteSpan) End(...trace.SpanEndOption)              {}
func (*remoteSpan) AddEvent(string, ...trace.EventOption)   {}
func (*remoteSpan) AddLink(trace.Link)                      {}
func (*remoteSpan) RecordError(error, ...trace.EventOption) {}
func (*remoteSpan) SetStatus(codes.Code, string)            {}
func (*remoteSpan) SetName(string)                          {}
func (*remoteSpan) SetAttributes(...attribute.KeyValue)     {}
func (*remoteSpan) TracerProvider() trace.TracerProvider    { return noop.NewTracerProvider() }
