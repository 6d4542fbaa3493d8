package durableotel

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/durable-go/durable-go/core/plugin"
)

// inputContext reads a trace context from the top-level string fields of
// a JSON object input with the propagator.
func (p *Plugin) inputContext(ctx context.Context, input *string) trace.SpanContext {
	if input == nil || !strings.HasPrefix(strings.TrimSpace(*input), "{") {
		return trace.SpanContext{}
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(*input), &fields) != nil {
		return trace.SpanContext{}
	}
	carrier := propagation.MapCarrier{}
	for _, k := range p.cfg.prop.Fields() {
		var v string
		if raw, ok := fields[k]; ok && json.Unmarshal(raw, &v) == nil {
			carrier[k] = v
		}
	}
	if len(carrier) == 0 {
		return trace.SpanContext{}
	}
	return trace.SpanContextFromContext(p.cfg.prop.Extract(context.Background(), carrier))
}

// InvokePayload adds the invoke operation's span context to a JSON object
// payload, in the propagator's fields, unless the payload has them.
func (p *Plugin) InvokePayload(ctx context.Context, info *plugin.OperationInfo, payload string) string {
	st := stateOf(ctx)
	trimmed := strings.TrimSpace(payload)
	if st == nil || p.cfg.noInvoke || !strings.HasPrefix(trimmed, "{") {
		return payload
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(trimmed), &fields) != nil {
		return payload
	}
	carrier := propagation.MapCarrier{}
	p.cfg.prop.Inject(trace.ContextWithSpanContext(context.Background(), st.spanContext(kindOperation, info.ID)), carrier)
	keys := carrier.Keys()
	slices.Sort(keys)
	var add strings.Builder
	for _, k := range keys {
		if _, taken := fields[k]; taken {
			return payload // the caller propagates itself
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(carrier.Get(k))
		add.Write(kb)
		add.WriteByte(':')
		add.Write(vb)
		add.WriteByte(',')
	}
	if add.Len() == 0 {
		return payload
	}
	rest := strings.TrimSpace(trimmed[1:])
	if rest == "}" {
		return "{" + strings.TrimSuffix(add.String(), ",") + "}"
	}
	return "{" + add.String() + rest
}

// xrayContext reads the invocation's Lambda trace header: the context
// value aws-lambda-go sets, or the environment variable.
func xrayContext(ctx context.Context) trace.SpanContext {
	h, _ := ctx.Value("x-amzn-trace-id").(string)
	if h == "" {
		h = os.Getenv("_X_AMZN_TRACE_ID")
	}
	return parseXRay(h)
}

// parseXRay parses "Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1".
func parseXRay(header string) trace.SpanContext {
	var cfg trace.SpanContextConfig
	for _, part := range strings.Split(header, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Root":
			ver, rest, _ := strings.Cut(v, "-")
			epoch, id, _ := strings.Cut(rest, "-")
			b, err := hex.DecodeString(epoch + id)
			if ver != "1" || err != nil || len(b) != 16 {
				return trace.SpanContext{}
			}
			copy(cfg.TraceID[:], b)
		case "Parent":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != 8 {
				return trace.SpanContext{}
			}
			copy(cfg.SpanID[:], b)
		case "Sampled":
			if v == "1" {
				cfg.TraceFlags = trace.FlagsSampled
			}
		}
	}
	cfg.Remote = true
	return trace.NewSpanContext(cfg)
}

// LogAttrs returns the trace and span ids of the scope's span.
func (p *Plugin) LogAttrs(ctx context.Context) []slog.Attr {
	if p.cfg.noLogs {
		return nil
	}
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return nil
	}
	var tid string
	if st := stateOf(ctx); st != nil && st.traceID == sc.TraceID() {
		tid = st.logTraceID
	} else {
		tid = p.logTraceID(sc.TraceID())
	}
	return []slog.Attr{slog.String(p.cfg.traceKey, tid), slog.String(p.cfg.spanKey, sc.SpanID().String())}
}

// logTraceID formats a trace id for log lines.
func (p *Plugin) logTraceID(id trace.TraceID) string {
	s := id.String()
	if p.cfg.xray {
		s = "1-" + s[:8] + "-" + s[8:]
	}
	return s
}
