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
	ctx := st.withSpan(context.Background(), sc)
	if got := trace.SpanContextFromContext(ctx); !got.Equal(sc) || !got.IsRemote() || trace.SpanFromContext(ctx).IsRecording() {
		t.Errorf("span context %v, want the remote, non-recording %v", got, sc)
	}
	if stateOf(ctx) != st || stateOf(context.WithValue(ctx, stateKey{}, nil)) != nil {
		t.Error("the scope context does not carry the invocation's state")
	}

	// A request for ids without parent makes a root: the context then has
	// no span, not the enclosing one.
	req := new(requestContext)
	req.request(st, ctx, sc, trace.SpanContext{})
	if trace.SpanContextFromContext(req).IsValid() {
		t.Error("a root request context shows the enclosing span")
	}
	if r, ok := req.Value(requestKey{}).(*requested); !ok || r.spanID != sc.SpanID() {
		t.Errorf("requested ids %v, want %s", r, sc.SpanID())
	}
}
