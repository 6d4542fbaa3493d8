package durable

import (
	"context"
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// Discovery and call sites of the tracing hooks of package plugin
// (ContextHook, LogAttrsHook, CheckpointHook, InvokeHook).

// traceHooks holds the optional hooks of this file by kind.
type traceHooks struct {
	context    []plugin.ContextHook
	logAttrs   []plugin.LogAttrsHook
	checkpoint []plugin.CheckpointHook
	invoke     []plugin.InvokeHook
}

func (ps *traceHooks) add(p plugin.Plugin) {
	collectHook(&ps.context, p)
	collectHook(&ps.logAttrs, p)
	collectHook(&ps.checkpoint, p)
	collectHook(&ps.invoke, p)
}

// collectHook appends p to list when p implements the hook H.
func collectHook[H any](list *[]H, p plugin.Plugin) {
	if h, ok := p.(H); ok {
		*list = append(*list, h)
	}
}

// derived is the context a ContextHook derived from ctx: c, or ctx when
// the hook returned nil.
func derived(ctx, c context.Context) context.Context {
	if c == nil {
		return ctx
	}
	return c
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
// ctx (enrichmentAttrs).
func (h *hooks) logAttrs(ctx context.Context) []slog.Attr {
	if h == nil || len(h.ps.logAttrs) == 0 {
		return nil
	}
	var out []slog.Attr
	for _, p := range h.ps.logAttrs {
		h.safely(p, "LogAttrs", func() { out = append(out, p.LogAttrs(ctx)...) })
	}
	return out
}

// invokePayload lets the InvokeHooks amend a chained invoke's payload.
func (h *hooks) invokePayload(o *op, payload string) string {
	if h == nil || len(h.ps.invoke) == 0 {
		return payload
	}
	info := &plugin.OperationInfo{ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType}
	ctx := o.ctx.goContext()
	for _, p := range h.ps.invoke {
		h.safely(p, "InvokePayload", func() { payload = p.InvokePayload(ctx, info, payload) })
	}
	return payload
}

// observe wraps svc so that CheckpointHooks see its checkpoint calls.
func (h *hooks) observe(svc protocol.Service) protocol.Service {
	if h == nil || len(h.ps.checkpoint) == 0 {
		return svc
	}
	return &observedService{Service: svc, h: h}
}

type observedService struct {
	protocol.Service
	h *hooks
}

func (s *observedService) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	start := time.Now()
	resp, err := s.Service.Checkpoint(ctx, req)
	info := &plugin.CheckpointInfo{ExecutionArn: req.DurableExecutionArn, Updates: req.Updates, Duration: time.Since(start), Err: err}
	rc := s.h.inv.rootContext()
	for _, p := range s.h.ps.checkpoint {
		s.h.safely(p, "OnCheckpoint", func() { p.OnCheckpoint(rc, info) })
	}
	return resp, err
}
