package durableotel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// Attribute keys of the plugin's spans and metrics.
const (
	KeyExecutionArn     = attribute.Key("durable.execution.arn")
	KeyInvocationFirst  = attribute.Key("durable.invocation.first")
	KeyInvocationStatus = attribute.Key("durable.invocation.status")
	KeyOperationID      = attribute.Key("durable.operation.id")
	KeyParentID         = attribute.Key("durable.operation.parent_id")
	KeyOperationName    = attribute.Key("durable.operation.name")
	KeyOperationType    = attribute.Key("durable.operation.type")
	KeyOperationSubType = attribute.Key("durable.operation.subtype")
	KeyOperationStatus  = attribute.Key("durable.operation.status")
	KeyStepAttempts     = attribute.Key("durable.step.attempts")
	KeyAttempt          = attribute.Key("durable.attempt.number")
	KeyAttemptOutcome   = attribute.Key("durable.attempt.outcome")
	KeyRetryDelay       = attribute.Key("durable.attempt.retry_delay_seconds")
	KeyLinkSource       = attribute.Key("durable.link.source")
	keyInvocationID     = attribute.Key("faas.invocation_id") // OTel semantic conventions
)

// Attempt outcomes (KeyAttemptOutcome).
const (
	OutcomeSucceeded = "succeeded"
	OutcomeFailed    = "failed"
	OutcomeRetried   = "retried" // a retry (or, for a condition check, a re-check) was scheduled
)

// errIgnoredIDs is reported through otel.Handle when the tracer provider
// does not use NewIDGenerator.
var errIgnoredIDs = errors.New("durableotel: the tracer provider ignores the span ids the plugin asks for; " +
	"create it with sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)) so that spans nest across invocations")

// invocation is the plugin's state for one invocation, carried in the
// contexts it derives.
type invocation struct {
	p          *Plugin
	arn        string
	traceID    trace.TraceID
	flags      trace.TraceFlags
	seed       uint64
	execParent trace.SpanContext               // the joined input trace, if any
	span       trace.Span                      // the invocation span
	logTraceID string                          // the trace id as log lines show it
	startOps   map[string]plugin.OperationInfo // the state the invocation started from

	mu       sync.Mutex
	attempts map[string]*attempt // running or unresolved attempts, by operation id
}

// attempt is an attempt span waiting for the checkpoint that says how the
// attempt ended (succeeded, failed, retried after a delay).
type attempt struct {
	span  trace.Span
	ended bool
	end   time.Time
	err   error
}

// spanContext is the derived span context of the execution or operation.
func (st *invocation) spanContext(kind byte, id string) trace.SpanContext {
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: st.traceID, SpanID: derivedSpanID(st.seed, kind, id), TraceFlags: st.flags, Remote: true,
	})
}

// parentOf is the span context an operation with parent id parentID
// nests under.
func (st *invocation) parentOf(parentID string) trace.SpanContext {
	if parentID == "" {
		return st.spanContext(kindExecution, "")
	}
	return st.spanContext(kindOperation, parentID)
}

// startDerived starts the span whose id is derived (want), under parent
// (none: a new root).
func (st *invocation) startDerived(ctx context.Context, name string, want trace.SpanContext, parent trace.SpanContext, opts ...trace.SpanStartOption) trace.Span {
	if parent.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
	} else {
		ctx = trace.ContextWithSpanContext(ctx, trace.SpanContext{})
		opts = append(opts, trace.WithNewRoot())
	}
	_, span := st.p.tracer.Start(&requestContext{ctx, requested{want.TraceID(), want.SpanID()}}, name, opts...)
	if span.IsRecording() && span.SpanContext().SpanID() != want.SpanID() {
		st.p.idsOnce.Do(func() { otel.Handle(errIgnoredIDs) })
	}
	return span
}

// InvocationContext starts the invocation span and returns the root
// context carrying it and the plugin's invocation state.
func (p *Plugin) InvocationContext(ctx context.Context, info *plugin.InvocationInfo) context.Context {
	st := &invocation{
		p: p, arn: info.ExecutionArn, flags: trace.FlagsSampled,
		startOps: info.Operations, // core builds the map for this call: keep it
		attempts: map[string]*attempt{},
	}
	st.traceID = executionTraceID(info.ExecutionArn, info.ExecutionStartTimestamp)
	var links []trace.Link
	if in := p.inputContext(ctx, info.Input); in.IsValid() {
		if p.cfg.join {
			st.traceID, st.flags, st.execParent = in.TraceID(), in.TraceFlags(), in
		} else {
			links = append(links, trace.Link{SpanContext: in, Attributes: []attribute.KeyValue{KeyLinkSource.String("input")}})
		}
	}
	if x := xrayContext(ctx); x.IsValid() {
		links = append(links, trace.Link{SpanContext: x, Attributes: []attribute.KeyValue{KeyLinkSource.String("x-ray")}})
	}
	st.seed = idSeed(st.traceID, st.arn)
	st.logTraceID = p.logTraceID(st.traceID)
	parent := trace.ContextWithRemoteSpanContext(ctx, st.spanContext(kindExecution, ""))
	ctx, st.span = p.tracer.Start(parent, "durable invocation",
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithLinks(links...),
		trace.WithAttributes(
			KeyExecutionArn.String(info.ExecutionArn),
			keyInvocationID.String(info.RequestID),
			KeyInvocationFirst.Bool(info.IsFirstInvocation),
		))
	return context.WithValue(ctx, stateKey{}, st)
}

// OnInvocationStart does nothing: InvocationContext starts the span.
func (p *Plugin) OnInvocationStart(context.Context, *plugin.InvocationInfo) {}

// OnInvocationEnd ends the invocation span, the attempt spans whose
// outcome no checkpoint told, and, when the execution ended, creates the
// execution span.
func (p *Plugin) OnInvocationEnd(ctx context.Context, info *plugin.InvocationInfo) {
	st := stateOf(ctx)
	if st == nil {
		return
	}
	st.mu.Lock()
	for id, a := range st.attempts {
		outcome := OutcomeSucceeded
		if a.err != nil {
			outcome = OutcomeFailed
		}
		st.endAttempt(a, outcome, 0)
		delete(st.attempts, id)
	}
	st.mu.Unlock()

	p.m.invocationEnd(ctx, st, info)
	st.span.SetAttributes(KeyInvocationStatus.String(string(info.Status)))
	if info.Err != nil {
		st.span.RecordError(info.Err)
		st.span.SetStatus(codes.Error, info.Err.Error())
	}
	st.span.End()
	if info.Terminal() {
		st.endExecution(ctx, info)
	}
	p.flush(ctx)
}

// flusher is implemented by the SDK's providers.
type flusher interface{ ForceFlush(context.Context) error }

// flush flushes the providers, unless WithoutFlush.
func (p *Plugin) flush(ctx context.Context) {
	if p.cfg.noFlush {
		return
	}
	for _, x := range []any{p.cfg.tp, p.cfg.mp} {
		if f, ok := x.(flusher); ok {
			if err := f.ForceFlush(ctx); err != nil {
				otel.Handle(err)
			}
		}
	}
}

// endExecution creates the execution span, from the execution's start.
func (st *invocation) endExecution(ctx context.Context, info *plugin.InvocationInfo) {
	start := info.ExecutionStartTimestamp
	if start.IsZero() {
		start = time.Now()
	}
	exec := st.startDerived(ctx, "durable execution", st.spanContext(kindExecution, ""), st.execParent,
		trace.WithTimestamp(start),
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(KeyExecutionArn.String(st.arn), KeyInvocationStatus.String(string(info.Status))))
	if info.Status == protocol.InvocationFailed {
		msg := "execution failed"
		if info.Err != nil {
			msg = info.Err.Error()
		}
		exec.SetStatus(codes.Error, msg)
	}
	exec.End()
}

// FunctionContext makes the context of a child context, map item or
// branch carry its operation's span context (the span itself is created
// when the operation ends); a virtual item's is its parent's.
func (p *Plugin) FunctionContext(ctx context.Context, info *plugin.FunctionInfo) context.Context {
	st := stateOf(ctx)
	if st == nil {
		return ctx
	}
	sc := st.spanContext(kindOperation, info.ID)
	if info.Virtual {
		sc = st.parentOf(info.ParentID)
	}
	return trace.ContextWithRemoteSpanContext(ctx, sc)
}

// AttemptContext starts the attempt span, a child of its step's span.
func (p *Plugin) AttemptContext(ctx context.Context, info *plugin.AttemptInfo) context.Context {
	st := stateOf(ctx)
	if st == nil {
		return ctx
	}
	name := spanName(info.SubType, info.Name) + " attempt"
	parent := trace.ContextWithRemoteSpanContext(ctx, st.spanContext(kindOperation, info.ID))
	ctx, span := p.tracer.Start(parent, name) // starts now: info.StartTimestamp is now
	if span.IsRecording() {
		// The name and subtype are in the span's name and on its parent.
		span.SetAttributes(KeyOperationID.String(info.ID), KeyAttempt.Int(info.Attempt))
	}
	st.mu.Lock()
	st.attempts[info.ID] = &attempt{span: span}
	st.mu.Unlock()
	return ctx
}

// OnAttemptStart does nothing: AttemptContext starts the span.
func (p *Plugin) OnAttemptStart(context.Context, *plugin.AttemptInfo) {}

// OnAttemptEnd counts the attempt and records its end; the span ends when
// the checkpoint that follows tells the outcome (OnCheckpoint).
func (p *Plugin) OnAttemptEnd(ctx context.Context, info *plugin.AttemptInfo) {
	st := stateOf(ctx)
	if st == nil {
		return
	}
	p.m.attempt(ctx, info)
	st.mu.Lock()
	defer st.mu.Unlock()
	if a := st.attempts[info.ID]; a != nil {
		a.ended, a.end, a.err = true, info.EndTimestamp, info.Err
	}
}

// endAttempt ends a's span; the caller holds st.mu.
func (st *invocation) endAttempt(a *attempt, outcome string, retryDelay int) {
	if !a.span.IsRecording() {
		a.span.End()
		return
	}
	a.span.SetAttributes(KeyAttemptOutcome.String(outcome))
	if outcome == OutcomeRetried {
		a.span.SetAttributes(KeyRetryDelay.Int(retryDelay))
	}
	if a.err != nil {
		a.span.RecordError(a.err)
		a.span.SetStatus(codes.Error, a.err.Error())
	}
	end := a.end
	if !a.ended {
		end = time.Now()
	}
	a.span.End(trace.WithTimestamp(end))
}

// OnCheckpoint records the call's metrics and ends the attempt spans
// whose outcome the call carried.
func (p *Plugin) OnCheckpoint(ctx context.Context, info *plugin.CheckpointInfo) {
	st := stateOf(ctx)
	p.m.checkpoint(ctx, info)
	if st == nil || info.Err != nil {
		return
	}
	for i := range info.Updates {
		u := &info.Updates[i]
		var outcome string
		delay := 0
		switch u.Action {
		case protocol.ActionSucceed:
			outcome = OutcomeSucceeded
		case protocol.ActionFail:
			outcome = OutcomeFailed
		case protocol.ActionRetry:
			outcome = OutcomeRetried
			if u.StepOptions != nil {
				delay = u.StepOptions.NextAttemptDelaySeconds
			}
			p.m.retry(ctx, u.Name, u.SubType)
		default:
			continue
		}
		st.mu.Lock()
		if a := st.attempts[u.ID]; a != nil && a.ended {
			st.endAttempt(a, outcome, delay)
			delete(st.attempts, u.ID)
		}
		st.mu.Unlock()
	}
}

// OnOperationStart does nothing: operation spans are made at the end.
func (p *Plugin) OnOperationStart(context.Context, *plugin.OperationInfo) {}

// OnOperationEnd creates the operation's span, from its START to its end
// as the service recorded them, with its derived id.
func (p *Plugin) OnOperationEnd(ctx context.Context, info *plugin.OperationInfo) {
	st := stateOf(ctx)
	if st == nil {
		return
	}
	p.m.operation(ctx, info)
	start, end := info.StartTimestamp, info.EndTimestamp
	if end.IsZero() {
		end = time.Now()
	}
	if start.IsZero() || start.After(end) {
		start = end
	}
	opts := []trace.SpanStartOption{trace.WithTimestamp(start), nil}[:1]
	if info.Type == protocol.OperationTypeChainedInvoke {
		opts = append(opts, trace.WithSpanKind(trace.SpanKindClient))
	}
	// Background: the span needs no value of the invocation's context, and
	// a short context chain makes the SDK's lookups cheaper.
	span := st.startDerived(context.Background(), spanName(info.SubType, info.Name), st.spanContext(kindOperation, info.ID), st.parentOf(info.ParentID),
		opts...)
	if !span.IsRecording() {
		return
	}
	attrs := make([]attribute.KeyValue, 5, 7)
	attrs[0] = KeyOperationID.String(info.ID)
	attrs[1] = KeyOperationName.String(info.Name)
	attrs[2] = KeyOperationType.String(string(info.Type))
	attrs[3] = KeyOperationSubType.String(info.SubType)
	attrs[4] = KeyOperationStatus.String(string(info.Status))
	if info.ParentID != "" {
		attrs = append(attrs, KeyParentID.String(info.ParentID))
	}
	if info.Type == protocol.OperationTypeStep {
		attrs = append(attrs, KeyStepAttempts.Int(info.Attempt))
	}
	span.SetAttributes(attrs...)
	if info.Status != protocol.StatusSucceeded {
		msg := string(info.Status)
		if e := info.Error; e != nil {
			msg = fmt.Sprintf("%s: %s", e.ErrorType, e.ErrorMessage)
			span.AddEvent("exception", trace.WithTimestamp(end), trace.WithAttributes(
				attribute.String("exception.type", e.ErrorType),
				attribute.String("exception.message", e.ErrorMessage)))
		}
		span.SetStatus(codes.Error, msg)
	}
	span.End(trace.WithTimestamp(end))
}

// spanName names an operation's span: its subtype and name.
func spanName(subType, name string) string {
	if name == "" {
		return subType
	}
	return subType + " " + name
}
