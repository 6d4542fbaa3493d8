package durableotel

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
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
	// KeyOperationAbandoned is true on the span of a map item or parallel
	// branch that its batch completed without (it stays STARTED).
	KeyOperationAbandoned = attribute.Key("durable.operation.abandoned")
	KeyStepAttempts       = attribute.Key("durable.step.attempts")
	KeyAttempt            = attribute.Key("durable.attempt.number")
	KeyAttemptOutcome     = attribute.Key("durable.attempt.outcome")
	KeyRetryDelay         = attribute.Key("durable.attempt.retry_delay_seconds")
	KeyLinkSource         = attribute.Key("durable.link.source")
	keyInvocationID       = attribute.Key("faas.invocation_id") // OTel semantic conventions
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
	execParent trace.SpanContext // the joined input trace, if any
	span       trace.Span        // the invocation span
	spanEnded  sync.Once         // by OnInvocationEnd or the deadline guard
	guard      *time.Timer       // ends the span before Lambda's deadline (deadline.go)
	logTraceID string            // the trace id as log lines show it
	completed  int               // operations complete when the invocation started
	first      bool              // the execution's first invocation
	started    atomic.Int64      // operations user code started or resumed (OnOperationStart)

	mu       sync.Mutex
	attempts map[string]*attempt // attempts waiting for their outcome, by operation id
	waiting  atomic.Int32        // len(attempts), read without mu
	counts   map[countKey]int64  // counter increments, added at the end (metrics.go)
	recorded bool                // the invocation's metrics were recorded (metrics.go)
}

// attempt is an attempt waiting for the checkpoint that says how it ended
// (succeeded, failed, retried after a delay).
type attempt struct {
	span   trace.Span // started with the attempt (attempts after the first); nil: made at the end
	name   string     // the span's name
	id     string     // the operation's
	number int
	start  time.Time
	end    time.Time
	ended  bool
	err    error
}

// spanID is the derived span id of the execution or operation.
func (st *invocation) spanID(kind byte, id string) trace.SpanID {
	return derivedSpanID(st.seed, kind, id)
}

// spanContext is the derived span context of the execution or operation.
func (st *invocation) spanContext(kind byte, id string) trace.SpanContext {
	return st.remote(st.spanID(kind, id))
}

// remote is the remote span context with span id id in the invocation's
// trace, with the invocation's flags.
func (st *invocation) remote(id trace.SpanID) trace.SpanContext {
	return trace.NewSpanContext(trace.SpanContextConfig{TraceID: st.traceID, SpanID: id, TraceFlags: st.flags, Remote: true})
}

// parentOf is the span id of the span an operation with parent id
// parentID nests under.
func (st *invocation) parentOf(parentID string) trace.SpanID {
	if parentID == "" {
		return st.spanID(kindExecution, "")
	}
	return st.spanID(kindOperation, parentID)
}

// spanStart is what starting a span with a derived id takes, in one
// allocation: the context asking for the ids and carrying the parent, and
// the start and end options (a tracer takes them as slices, which escape).
type spanStart struct {
	ctx  requestContext
	opts [3]trace.SpanStartOption // the timestamp, WithNewRoot, a span kind
	end  [1]trace.SpanEndOption
}

// Options the plugin passes unchanged: made once (WithSpanKind's result
// is a closure).
var (
	newRoot    = trace.WithNewRoot()
	clientKind = trace.WithSpanKind(trace.SpanKindClient)
	serverKind = trace.WithSpanKind(trace.SpanKindServer)
)

// startDerived starts the span whose id is derived (want) at start, under
// the derived span parent, with the options extra. End the span with
// endDerived.
func (st *invocation) startDerived(name string, want, parent trace.SpanID, start time.Time, extra ...trace.SpanStartOption) (trace.Span, *spanStart) {
	// Background: the span needs no value of the invocation's context, and
	// a short context chain makes the SDK's lookups cheaper.
	return st.startDerivedIn(context.Background(), name, want, parent, start, extra...)
}

// startDerivedIn is startDerived on top of base: without parent (a zero
// id), the span's parent is the span of base, a new root if it has none.
func (st *invocation) startDerivedIn(base context.Context, name string, want, parent trace.SpanID, start time.Time, extra ...trace.SpanStartOption) (trace.Span, *spanStart) {
	s := spanStarts.Get().(*spanStart)
	s.ctx.request(st, base, want, parent)
	opts := append(s.opts[:0], trace.WithTimestamp(start))
	if !parent.IsValid() && !trace.SpanContextFromContext(base).IsValid() {
		opts = append(opts, newRoot)
	}
	opts = append(opts, extra...)
	_, span := st.p.tracer.Start(&s.ctx, name, opts...)
	if !span.IsRecording() {
		// Sampled out (or a no-op provider): the span keeps nothing of
		// its start (span processors see recording spans only), so s
		// serves the next span.
		*s = spanStart{}
		spanStarts.Put(s)
		return span, nil
	}
	if span.SpanContext().SpanID() != want {
		st.p.idsOnce.Do(func() { otel.Handle(errIgnoredIDs) })
	}
	return span, s
}

// spanStarts holds the spanStarts of spans that were not recorded. Those
// of recording spans are not reused: the SDK hands the start context to
// span processors (OnStart), which may keep it.
var spanStarts = sync.Pool{New: func() any { return new(spanStart) }}

// endDerived ends span, started by startDerived with s (nil for a span
// that is not recording), at end.
func (s *spanStart) endDerived(span trace.Span, end time.Time) {
	if s == nil {
		span.End()
		return
	}
	s.end[0] = trace.WithTimestamp(end)
	span.End(s.end[:]...)
}

// InvocationContext starts the invocation span and returns the root
// context carrying it and the plugin's invocation state.
func (p *Plugin) InvocationContext(ctx context.Context, info *plugin.InvocationInfo) context.Context {
	st := &invocation{
		p: p, arn: info.ExecutionArn, flags: trace.FlagsSampled, completed: info.CompletedOperations, first: info.IsFirstInvocation,
		attempts: map[string]*attempt{}, counts: map[countKey]int64{},
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
	ctx, st.span = p.tracer.Start(st.withSpan(ctx, st.spanID(kindExecution, "")), "durable invocation",
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithLinks(links...),
		trace.WithAttributes(
			KeyExecutionArn.String(info.ExecutionArn),
			keyInvocationID.String(info.RequestID),
			KeyInvocationFirst.Bool(info.IsFirstInvocation),
		))
	// The scopes' span contexts and the chained invokes' trace context
	// follow the sampler's decision for the invocation: an execution it
	// drops must not reach user spans and downstream services as sampled.
	if sc := st.span.SpanContext(); sc.IsValid() {
		st.flags = st.flags.WithSampled(sc.IsSampled())
	}
	st.guardDeadline(ctx)
	return context.WithValue(ctx, stateKey{}, st)
}

// OnInvocationStart does nothing: InvocationContext starts the span.
func (p *Plugin) OnInvocationStart(context.Context, *plugin.InvocationInfo) {}

// OnInvocationEnd ends the attempt spans whose outcome no checkpoint
// told, records the invocation's metrics, ends the invocation span and,
// when the execution ended, creates the execution span.
func (p *Plugin) OnInvocationEnd(ctx context.Context, info *plugin.InvocationInfo) {
	st := stateOf(ctx)
	if st == nil {
		return
	}
	if st.guard != nil {
		st.guard.Stop()
	}
	st.endAttempts(nil)
	p.m.invocationEnd(ctx, st, string(info.Status))
	st.spanEnded.Do(func() {
		st.span.SetAttributes(KeyInvocationStatus.String(string(info.Status)))
		if info.Err != nil {
			st.span.RecordError(info.Err)
			st.span.SetStatus(codes.Error, info.Err.Error())
		}
		st.span.End()
	})
	if info.Terminal() {
		st.endExecution(info)
	}
	if d, ok := ctx.Deadline(); ok && !p.cfg.noFlush {
		// The invocation returns its output after this: an exporter that
		// cannot reach its collector must not hold it until Lambda stops
		// it, which would lose the output.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-deadlineMargin))
		defer cancel()
	}
	p.flush(ctx)
}

// endAttempts ends the attempt spans whose outcome no checkpoint told: by
// the attempt's error, or running's for those still running.
func (st *invocation) endAttempts(running error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for id, a := range st.attempts {
		if !a.ended && running != nil {
			a.err = running
		}
		outcome := OutcomeSucceeded
		if a.err != nil {
			outcome = OutcomeFailed
		}
		st.endAttempt(a, outcome, 0, nil)
		delete(st.attempts, id)
	}
	st.waiting.Store(0)
}

// flusher is implemented by the SDK's providers.
type flusher interface{ ForceFlush(context.Context) error }

// flush flushes the providers, unless WithoutFlush. A global provider
// taken before otel.SetTracerProvider (or SetMeterProvider) ran is the
// API's delegating one, without ForceFlush, which forwards to the
// provider set later: that one is flushed.
func (p *Plugin) flush(ctx context.Context) {
	if p.cfg.noFlush {
		return
	}
	var tp, mp any = p.cfg.tp, p.cfg.mp
	if _, ok := tp.(flusher); !ok && p.cfg.globalTP {
		tp = otel.GetTracerProvider()
	}
	if _, ok := mp.(flusher); !ok && p.cfg.globalMP {
		mp = otel.GetMeterProvider()
	}
	for _, x := range []any{tp, mp} {
		if f, ok := x.(flusher); ok {
			if err := f.ForceFlush(ctx); err != nil {
				otel.Handle(err)
			}
		}
	}
}

// endExecution creates the execution span, from the execution's start.
func (st *invocation) endExecution(info *plugin.InvocationInfo) {
	start := info.ExecutionStartTimestamp
	if start.IsZero() {
		start = time.Now()
	}
	base := context.Background()
	if st.execParent.IsValid() {
		base = trace.ContextWithRemoteSpanContext(base, st.execParent)
	}
	exec, _ := st.startDerivedIn(base, "durable execution", st.spanID(kindExecution, ""), trace.SpanID{}, start,
		serverKind,
		trace.WithAttributes(KeyExecutionArn.String(st.arn), KeyInvocationStatus.String(string(info.Status))))
	if info.Status == protocol.InvocationFailed {
		msg := "execution failed"
		if info.Err != nil {
			msg = info.Err.Error()
			exec.RecordError(info.Err)
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
	if info.Virtual {
		return st.withSpan(ctx, st.parentOf(info.ParentID))
	}
	return st.withSpan(ctx, st.spanID(kindOperation, info.ID))
}

// AttemptContext makes the context of a first attempt (or condition check)
// carry its operation's span context: whether the attempt gets a span of
// its own is known only when it ends (see endAttempt). A later attempt is
// one of several, so its span starts here and its code runs under it.
func (p *Plugin) AttemptContext(ctx context.Context, info *plugin.AttemptInfo) context.Context {
	st := stateOf(ctx)
	if st == nil {
		return ctx
	}
	ctx = st.withSpan(ctx, st.spanID(kindOperation, info.ID))
	if info.Attempt <= 1 {
		return ctx
	}
	ctx, span := st.startAttempt(ctx, spanName(info.SubType, info.Name)+" attempt", info.ID, info.Attempt, info.StartTimestamp)
	st.mu.Lock()
	st.attempts[info.ID] = &attempt{span: span, id: info.ID, number: info.Attempt}
	st.waiting.Store(int32(len(st.attempts)))
	st.mu.Unlock()
	return ctx
}

// startAttempt starts the span of attempt number of operation id at
// start, under the operation's span that ctx carries.
func (st *invocation) startAttempt(ctx context.Context, name, id string, number int, start time.Time) (context.Context, trace.Span) {
	return st.p.tracer.Start(ctx, name, trace.WithTimestamp(start),
		trace.WithAttributes(KeyOperationID.String(id), KeyAttempt.Int(number)))
}

// OnAttemptStart does nothing: AttemptContext starts what there is to start.
func (p *Plugin) OnAttemptStart(context.Context, *plugin.AttemptInfo) {}

// OnAttemptEnd counts the attempt and records its end; the attempt span,
// if it gets one, ends when the checkpoint that follows tells the outcome
// (OnCheckpoint). A first step attempt that succeeded gets none: its
// operation span says it all.
func (p *Plugin) OnAttemptEnd(ctx context.Context, info *plugin.AttemptInfo) {
	st := stateOf(ctx)
	if st == nil {
		return
	}
	outcome := OutcomeSucceeded
	if !info.Succeeded {
		outcome = OutcomeFailed
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.counts[countKey{metricAttempts, info.Name, info.SubType, outcome}]++
	a := st.attempts[info.ID]
	if a == nil {
		if info.Attempt <= 1 && info.Succeeded && info.SubType != protocol.SubTypeWaitForCondition {
			return // a condition check that succeeded may still be retried (re-checked)
		}
		a = &attempt{id: info.ID, number: info.Attempt, start: info.StartTimestamp}
		st.attempts[info.ID] = a
		st.waiting.Store(int32(len(st.attempts)))
	}
	a.name = spanName(info.SubType, info.Name) + " attempt"
	a.ended, a.end, a.err = true, info.EndTimestamp, info.Err
}

// endAttempt ends a's span, creating it if the attempt has none yet; a
// first attempt that succeeded gets none. failure, if any, is the error
// the checkpoint carried, for an attempt that returned none (a condition
// check whose wait strategy gave up). The caller holds st.mu.
func (st *invocation) endAttempt(a *attempt, outcome string, retryDelay int, failure *protocol.ErrorObject) {
	span := a.span
	if span == nil {
		if a.number <= 1 && outcome == OutcomeSucceeded {
			return
		}
		_, span = st.startAttempt(st.withSpan(context.Background(), st.spanID(kindOperation, a.id)), a.name, a.id, a.number, a.start)
	}
	if !span.IsRecording() {
		span.End()
		return
	}
	span.SetAttributes(KeyAttemptOutcome.String(outcome))
	if outcome == OutcomeRetried {
		span.SetAttributes(KeyRetryDelay.Int(retryDelay))
	}
	end := a.end
	if !a.ended {
		end = time.Now()
	}
	if a.err != nil {
		span.RecordError(a.err)
		span.SetStatus(codes.Error, a.err.Error())
	} else if failure != nil && outcome == OutcomeFailed {
		recordErrorObject(span, failure, end)
	}
	span.End(trace.WithTimestamp(end))
}

// OnCheckpoint records the call's metrics and ends the attempt spans
// whose outcome the call carried.
func (p *Plugin) OnCheckpoint(ctx context.Context, info *plugin.CheckpointInfo) {
	st := stateOf(ctx)
	p.m.checkpoint(info)
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
			st.mu.Lock()
			st.counts[countKey{metricRetries, u.Name, u.SubType, ""}]++
			st.mu.Unlock()
		default:
			continue
		}
		if st.waiting.Load() == 0 {
			continue
		}
		st.endOutcome(u.ID, outcome, delay, u.Error)
	}
}

// endOutcome ends the span of operation id's attempt, if it ended and
// waits for its outcome. The lock is released however the span's end
// goes: a syncer's exporter that panics must not leave it held.
func (st *invocation) endOutcome(id, outcome string, delay int, failure *protocol.ErrorObject) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if a := st.attempts[id]; a != nil && a.ended {
		delete(st.attempts, id)
		st.waiting.Store(int32(len(st.attempts)))
		st.endAttempt(a, outcome, delay, failure)
	}
}

// OnOperationStart counts the operations the invocation executes.
func (p *Plugin) OnOperationStart(ctx context.Context, _ *plugin.OperationInfo) {
	if st := stateOf(ctx); st != nil {
		st.started.Add(1)
	}
}

// attrBuffers holds the attribute slices of operation spans: the SDK
// copies them, so one buffer serves span after span.
var attrBuffers = sync.Pool{New: func() any { return new([8]attribute.KeyValue) }}

// OnOperationEnd creates the operation's span, from its START to its end
// as the service recorded them, with its derived id. The span of a batch
// item its batch abandoned unfinished ends when the batch ended, with
// durable.operation.abandoned; the item never ended, so its duration is
// not recorded.
func (p *Plugin) OnOperationEnd(ctx context.Context, info *plugin.OperationInfo) {
	st := stateOf(ctx)
	if st == nil {
		return
	}
	if !info.Abandoned {
		p.m.operation(info)
	}
	start, end := info.StartTimestamp, info.EndTimestamp
	if end.IsZero() {
		end = time.Now()
	}
	if start.IsZero() || start.After(end) {
		start = end
	}
	var span trace.Span
	var s *spanStart
	name, want, parent := spanName(info.SubType, info.Name), st.spanID(kindOperation, info.ID), st.parentOf(info.ParentID)
	if info.Type == protocol.OperationTypeChainedInvoke {
		span, s = st.startDerived(name, want, parent, start, clientKind)
	} else {
		span, s = st.startDerived(name, want, parent, start)
	}
	if !span.IsRecording() {
		span.End()
		return
	}
	buf := attrBuffers.Get().(*[8]attribute.KeyValue)
	attrs := append(buf[:0],
		KeyOperationID.String(info.ID),
		KeyOperationName.String(info.Name),
		KeyOperationType.String(string(info.Type)),
		KeyOperationSubType.String(info.SubType),
		KeyOperationStatus.String(string(info.Status)))
	if info.ParentID != "" {
		attrs = append(attrs, KeyParentID.String(info.ParentID))
	}
	if info.Abandoned { // a batch item: at most seven attributes
		attrs = append(attrs, KeyOperationAbandoned.Bool(true))
	}
	if info.Type == protocol.OperationTypeStep {
		attrs = append(attrs, KeyStepAttempts.Int(info.Attempt))
		if info.Attempt == 1 && info.Status == protocol.StatusSucceeded {
			// The only attempt, which has no span of its own (its number
			// is durable.step.attempts). At most eight attributes: the
			// SDK deduplicates them through a map, which grows past eight.
			attrs = append(attrs, KeyAttemptOutcome.String(OutcomeSucceeded))
		}
	}
	span.SetAttributes(attrs...)
	clear(attrs)
	attrBuffers.Put(buf)
	if info.Status != protocol.StatusSucceeded && !info.Abandoned {
		if e := info.Error; e != nil {
			recordErrorObject(span, e, end)
		} else {
			span.SetStatus(codes.Error, string(info.Status))
		}
	}
	s.endDerived(span, end)
}

// recordErrorObject records a checkpointed error on span: an exception
// event at at, with its type and message, and error status.
func recordErrorObject(span trace.Span, e *protocol.ErrorObject, at time.Time) {
	span.AddEvent("exception", trace.WithTimestamp(at), trace.WithAttributes(
		attribute.String("exception.type", e.ErrorType),
		attribute.String("exception.message", e.ErrorMessage)))
	span.SetStatus(codes.Error, fmt.Sprintf("%s: %s", e.ErrorType, e.ErrorMessage))
}

// spanName names an operation's span: its subtype and name.
func spanName(subType, name string) string {
	if name == "" {
		return subType
	}
	return subType + " " + name
}
