package durableotel

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

// The scope contexts answer package trace's span lookup themselves (one
// allocation per scope instead of three); if a change in package trace
// defeats the key probe, they fall back to trace.ContextWithSpanContext,
// which works but costs more: this test says so.
func TestScopeContextCarriesItsSpan(t *testing.T) {
	if spanKey == nil {
		t.Fatal("the probe did not learn package trace's span key")
	}
	st := &invocation{traceID: trace.TraceID{1}, flags: trace.FlagsSampled, seed: 7}
	sc := st.spanContext(kindOperation, "op")
	ctx := st.withSpan(context.Background(), sc.SpanID())
	if got := trace.SpanContextFromContext(ctx); !got.Equal(sc) || !got.IsRemote() || trace.SpanFromContext(ctx).IsRecording() {
		t.Errorf("span context %v, want the remote, non-recording %v", got, sc)
	}
	if stateOf(ctx) != st || stateOf(context.WithValue(ctx, stateKey{}, nil)) != nil {
		t.Error("the scope context does not carry the invocation's state")
	}

	// A request for ids without parent makes a root: the context then has
	// no span.
	req := new(requestContext)
	req.request(st, context.Background(), sc.SpanID(), trace.SpanID{})
	if trace.SpanContextFromContext(req).IsValid() {
		t.Error("a root request context has a span")
	}
	if r, ok := req.Value(requestKey{}).(*requestContext); !ok || r.want != sc.SpanID() || r.span.st.traceID != sc.TraceID() {
		t.Errorf("requested ids %v, want %s", r, sc.SpanID())
	}

	// Without a derived parent, the parent is the span below (a joined
	// input trace's, with its trace state) as it is.
	ts, err := trace.ParseTraceState("k=v")
	if err != nil {
		t.Fatal(err)
	}
	in := trace.NewSpanContext(trace.SpanContextConfig{TraceID: st.traceID, SpanID: trace.SpanID{9}, TraceFlags: trace.FlagsSampled, TraceState: ts, Remote: true})
	req.request(st, trace.ContextWithRemoteSpanContext(context.Background(), in), sc.SpanID(), trace.SpanID{})
	if got := trace.SpanContextFromContext(req); !got.Equal(in) {
		t.Errorf("request's parent %v, want the joined %v", got, in)
	}
	req.request(st, context.Background(), sc.SpanID(), sc.SpanID())
	if got := trace.SpanContextFromContext(req); !got.Equal(sc) {
		t.Errorf("request's parent %v, want the derived %v", got, sc)
	}
}
