package durable

import (
	"context"
	"log/slog"
	"slices"
	"time"
)

// The optional hooks below let a tracing plugin (such as plugins/otel) put
// its spans where user code and loggers see them, observe checkpoint calls
// and carry trace context to chained invokes. Core discovers them on a
// Plugin like the other hooks, by type assertion.

// ContextHook lets a plugin derive the Go context that user code sees
// (Context.Context, StepContext.Context) and that the hooks of the work
// inside receive: a tracer returns ctx carrying the scope's span, so the
// user's HTTP clients and loggers pick it up. Each method gets the
// enclosing scope's context and returns the one to use; returning ctx
// changes nothing, nil is read as ctx. With several ContextHooks each
// derives from the previous one's result.
//
// Which context each hook receives: OnInvocationStart the Lambda context;
// OnInvocationEnd, OnOperationEnd, OnOperationChange and OnCheckpoint the
// invocation's derived context; OnOperationStart, OnAttemptStart and
// OnFunctionStart the enclosing Context's; OnAttemptEnd and OnFunctionEnd
// the context derived for that attempt or function.
type ContextHook interface {
	// InvocationContext derives the handler's root context, after
	// OnInvocationStart.
	InvocationContext(ctx context.Context, info *InvocationInfo) context.Context
	// FunctionContext derives the context of a child-context body, map
	// item or parallel branch, after OnFunctionStart.
	FunctionContext(ctx context.Context, info *FunctionInfo) context.Context
	// AttemptContext derives the context of a step attempt or
	// wait-for-condition check, after OnAttemptStart.
	AttemptContext(ctx context.Context, info *AttemptInfo) context.Context
}

// LogAttrsHook lets a plugin add fields to the enrichment of the replay-
// aware loggers (Context.Logger, StepContext.Logger), such as the trace
// and span ids of the scope. LogAttrs is called once per scope, when the
// scope's logger is built (the invocation's root context, each child
// context, map item or branch, each step attempt), with the scope's Go
// context as ContextHooks derived it; the attrs then go out with every
// line of the scope, through every logger.
type LogAttrsHook interface {
	LogAttrs(ctx context.Context) []slog.Attr
}

// CheckpointHook observes every checkpoint call the invocation makes.
type CheckpointHook interface {
	OnCheckpoint(ctx context.Context, info *CheckpointInfo)
}

// CheckpointInfo describes one checkpoint call, after it returned.
type CheckpointInfo struct {
	ExecutionArn string
	// Updates are the operation updates sent in the call (read only).
	Updates  []OperationUpdate
	Duration time.Duration
	Err      error // the call's error, nil when it succeeded
}

// InvokeHook lets a plugin amend the input payload of a chained invoke
// before it is checkpointed and sent to the target function, e.g. to carry
// trace context. It runs when the invoke starts, never on replay; payload
// is the serialized input (JSON unless WithPayloadSerdes says otherwise).
// ctx is the enclosing Context's.
type InvokeHook interface {
	InvokePayload(ctx context.Context, info *OperationInfo, payload string) string
}

// traceHooks holds the optional hooks of this file by kind.
type traceHooks struct {
	context    []ContextHook
	logAttrs   []LogAttrsHook
	checkpoint []CheckpointHook
	invoke     []InvokeHook
}

func (ps *traceHooks) add(p Plugin) {
	collectHook(&ps.context, p)
	collectHook(&ps.logAttrs, p)
	collectHook(&ps.checkpoint, p)
	collectHook(&ps.invoke, p)
}

// collectHook appends p to list when p implements the hook H.
func collectHook[H any](list *[]H, p Plugin) {
	if h, ok := p.(H); ok {
		*list = append(*list, h)
	}
}

// derive runs f for every ContextHook, each on the previous result.
func (h *hooks) derive(ctx context.Context, f func(ContextHook, context.Context) context.Context) context.Context {
	for _, p := range h.ps.context {
		safely(func() {
			if c := f(p, ctx); c != nil {
				ctx = c
			}
		})
	}
	return ctx
}

// rootContext is the Go context of the invocation's root Context: the
// Lambda context, or what the ContextHooks derived from it.
func (inv *invocation) rootContext() context.Context {
	if inv.rootctx != nil {
		return inv.rootctx
	}
	return inv.goctx
}

// goContext is the Go context of c (Context.Context).
func (c *Context) goContext() context.Context {
	if c.goctx != nil {
		return c.goctx
	}
	return c.inv.rootContext()
}

// logAttrs returns the LogAttrsHooks' fields for a scope with Go context
// ctx, as key/value pairs for the enrichment.
func (h *hooks) logAttrs(ctx context.Context) []any {
	if h == nil || len(h.ps.logAttrs) == 0 {
		return nil
	}
	var out []any
	for _, p := range h.ps.logAttrs {
		safely(func() {
			attrs := p.LogAttrs(ctx)
			out = slices.Grow(out, 2*len(attrs))
			for _, a := range attrs {
				out = append(out, a.Key, a.Value.Any())
			}
		})
	}
	return out
}

// invokePayload lets the InvokeHooks amend a chained invoke's payload.
func (h *hooks) invokePayload(o *op, payload string) string {
	if h == nil || len(h.ps.invoke) == 0 {
		return payload
	}
	info := &OperationInfo{ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType}
	ctx := o.ctx.goContext()
	for _, p := range h.ps.invoke {
		safely(func() { payload = p.InvokePayload(ctx, info, payload) })
	}
	return payload
}

// observe wraps svc so that CheckpointHooks see its checkpoint calls.
func (h *hooks) observe(svc Service) Service {
	if h == nil || len(h.ps.checkpoint) == 0 {
		return svc
	}
	return &observedService{Service: svc, h: h}
}

type observedService struct {
	Service
	h *hooks
}

func (s *observedService) Checkpoint(ctx context.Context, req CheckpointRequest) (*CheckpointResponse, error) {
	start := time.Now()
	resp, err := s.Service.Checkpoint(ctx, req)
	info := &CheckpointInfo{ExecutionArn: req.DurableExecutionArn, Updates: req.Updates, Duration: time.Since(start), Err: err}
	rc := s.h.inv.rootContext()
	for _, p := range s.h.ps.checkpoint {
		safely(func() { p.OnCheckpoint(rc, info) })
	}
	return resp, err
}
