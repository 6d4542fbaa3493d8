package durable

import (
	"context"
	"sync"
	"time"
)

// A Plugin observes a durable function for tracing and metrics. It is any
// value implementing one or more of the hook interfaces below
// (InvocationHook, OperationHook, AttemptHook, FunctionHook,
// OperationChangeHook); register it with WithPlugins. Core discovers the
// hooks once, by type assertion, so a plugin pays only for what it
// implements.
//
// Hooks run synchronously: invocation, attempt and function hooks on the
// goroutine running the user code, operation and operation-change hooks on
// whichever goroutine observed the change (the checkpoint sender for
// completions). A panicking hook is recovered and ignored: a plugin never
// changes an execution's outcome nor keeps other plugins from their hooks.
// Hooks must be quick and safe for concurrent use.
type Plugin any

// InvocationHook observes invocations: OnInvocationStart before the handler
// code runs, OnInvocationEnd once the invocation's outcome is final.
type InvocationHook interface {
	OnInvocationStart(ctx context.Context, info *InvocationInfo)
	OnInvocationEnd(ctx context.Context, info *InvocationInfo)
}

// OperationHook observes durable operations: OnOperationStart when user
// code starts an operation that has not completed yet (again on replay
// while it is still running), OnOperationEnd once per operation, when this
// invocation observes it terminal (through its own checkpoint, or because
// the service completed it while the execution was suspended).
type OperationHook interface {
	OnOperationStart(ctx context.Context, info *OperationInfo)
	OnOperationEnd(ctx context.Context, info *OperationInfo)
}

// AttemptHook observes each executed attempt of a step (or check of a
// wait-for-condition), around the user's function.
type AttemptHook interface {
	OnAttemptStart(ctx context.Context, info *AttemptInfo)
	OnAttemptEnd(ctx context.Context, info *AttemptInfo)
}

// FunctionHook observes the user functions the SDK runs in their own
// context: child-context bodies, map items and parallel branches.
type FunctionHook interface {
	OnFunctionStart(ctx context.Context, info *FunctionInfo)
	OnFunctionEnd(ctx context.Context, info *FunctionInfo)
}

// OperationChangeHook observes state changes: the operations the service
// updated while the execution was suspended (at invocation start) and those
// each checkpoint response changed.
type OperationChangeHook interface {
	OnOperationChange(ctx context.Context, info *OperationChangeInfo)
}

// WithPlugins registers plugins on the handler.
func WithPlugins(plugins ...Plugin) Option {
	return func(c *config) { c.plugins = append(c.plugins, plugins...) }
}

// OperationInfo describes one operation as the invocation sees it.
type OperationInfo struct {
	ID, ParentID, Name string
	Type               OperationType
	SubType            string
	Status             OperationStatus // empty before the operation has a record
	StartTimestamp     time.Time
	EndTimestamp       time.Time
	Attempt            int     // STEP: attempts finished
	Result             *string // the checkpointed result, when terminal
	Error              *ErrorObject
	// IsReplay is true when the operation was found in the checkpointed
	// state the invocation started from.
	IsReplay bool
}

// InvocationInfo describes an invocation, at its start and at its end.
type InvocationInfo struct {
	ExecutionArn, RequestID, TenantID string
	// IsFirstInvocation is true when the execution had no operation yet.
	IsFirstInvocation       bool
	ExecutionStartTimestamp time.Time
	// Operations is every operation in the state, by id: a map made for
	// this call, which a plugin may keep.
	Operations map[string]OperationInfo
	// Input is the execution's input payload (nil when there is none).
	Input *string
	// UpdatedOperations (start only) are the operations the service changed
	// while the execution was suspended: a timer that fired, a callback
	// that completed.
	UpdatedOperations map[string]OperationInfo
	// Status (end only) is the output envelope's status: SUCCEEDED or
	// FAILED when the execution ended, PENDING when it suspended. An
	// invocation that ends with a Lambda error (so that the service
	// re-invokes) reports PENDING with Err set.
	Status InvocationStatus
	Err    error // end only: why the execution failed, or the Lambda error
}

// Terminal reports whether the invocation ended the execution.
func (i *InvocationInfo) Terminal() bool {
	return i.Status == InvocationSucceeded || i.Status == InvocationFailed
}

// AttemptInfo describes one attempt of a step or wait-for-condition check.
type AttemptInfo struct {
	ID, ParentID, Name string
	Type               OperationType
	SubType            string
	Attempt            int // 1-based
	StartTimestamp     time.Time
	EndTimestamp       time.Time // end only
	IsReplay           bool
	Succeeded          bool  // end only
	Err                error // end only
}

// FunctionInfo describes a user function run in its own context.
type FunctionInfo struct {
	ID, ParentID, Name string
	Type               OperationType
	SubType            string
	// IsReplayingChildren is true when the function re-runs to rebuild a
	// result that was too large to checkpoint.
	IsReplayingChildren bool
	// Virtual is true for map items and branches run WithFlatNesting:
	// they checkpoint nothing for themselves, and the operations inside
	// have ParentID as their parent id.
	Virtual   bool
	Succeeded bool  // end only
	Err       error // end only
}

// OperationChangeInfo lists changed operations and the whole state.
type OperationChangeInfo struct {
	ExecutionArn string
	Updated      map[string]OperationInfo
	Operations   map[string]OperationInfo
}

// plugins holds a handler's plugins by the hooks they implement.
type plugins struct {
	invocation []InvocationHook
	operation  []OperationHook
	attempt    []AttemptHook
	function   []FunctionHook
	change     []OperationChangeHook
	traceHooks // plugin_trace.go
}

func newPlugins(list []Plugin) *plugins {
	ps := &plugins{}
	for _, p := range list {
		if h, ok := p.(InvocationHook); ok {
			ps.invocation = append(ps.invocation, h)
		}
		if h, ok := p.(OperationHook); ok {
			ps.operation = append(ps.operation, h)
		}
		if h, ok := p.(AttemptHook); ok {
			ps.attempt = append(ps.attempt, h)
		}
		if h, ok := p.(FunctionHook); ok {
			ps.function = append(ps.function, h)
		}
		if h, ok := p.(OperationChangeHook); ok {
			ps.change = append(ps.change, h)
		}
		ps.traceHooks.add(p)
	}
	return ps
}

// safely runs a hook, swallowing its panic.
func safely(f func()) {
	defer func() { _ = recover() }()
	f()
}

// operationInfo describes rec (which may be nil before the first
// checkpoint) for the call o.
func operationInfo(rec *Operation, replay bool) OperationInfo {
	info := OperationInfo{
		ID: rec.ID, ParentID: rec.ParentID, Name: rec.Name, Type: rec.Type, SubType: rec.SubType,
		Status: rec.Status, IsReplay: replay,
	}
	if rec.StartTimestamp != nil {
		info.StartTimestamp = rec.StartTimestamp.Time
	}
	if rec.EndTimestamp != nil {
		info.EndTimestamp = rec.EndTimestamp.Time
	}
	switch {
	case rec.StepDetails != nil:
		info.Attempt, info.Result, info.Error = rec.StepDetails.Attempt, rec.StepDetails.Result, rec.StepDetails.Error
	case rec.ContextDetails != nil:
		info.Result, info.Error = rec.ContextDetails.Result, rec.ContextDetails.Error
	case rec.CallbackDetails != nil:
		info.Result, info.Error = rec.CallbackDetails.Result, rec.CallbackDetails.Error
	case rec.ChainedInvokeDetails != nil:
		info.Result, info.Error = rec.ChainedInvokeDetails.Result, rec.ChainedInvokeDetails.Error
	}
	return info
}

// hooks is one invocation's view of the plugins.
type hooks struct {
	ps     *plugins
	inv    *invocation
	loaded map[string]bool // ids in the state the invocation started from

	mu    sync.Mutex
	ended map[string]bool // operations whose end was reported
}

func newHooks(ps *plugins, inv *invocation) *hooks {
	if ps == nil {
		return nil
	}
	return &hooks{ps: ps, inv: inv, ended: map[string]bool{}}
}

func (h *hooks) operations() map[string]OperationInfo {
	s := h.inv.state
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]OperationInfo, len(s.ops))
	for id, rec := range s.ops {
		out[id] = operationInfo(rec, h.loaded[id])
	}
	return out
}

func (h *hooks) invocationInfo(first bool) *InvocationInfo {
	info := &InvocationInfo{
		ExecutionArn: h.inv.arn, RequestID: h.inv.requestID, TenantID: h.inv.tenantID,
		IsFirstInvocation: first, Operations: h.operations(),
	}
	if exec := h.inv.state.get(h.inv.execID); exec != nil {
		if exec.StartTimestamp != nil {
			info.ExecutionStartTimestamp = exec.StartTimestamp.Time
		}
		if exec.ExecutionDetails != nil {
			info.Input = exec.ExecutionDetails.InputPayload
		}
	}
	return info
}

// invocationStart reports the start, the operations updated while
// suspended, and the completions among them.
func (h *hooks) invocationStart(first bool, updatedIDs []string) {
	if h == nil {
		return
	}
	s := h.inv.state
	s.mu.RLock()
	h.loaded = make(map[string]bool, len(s.ops))
	for id := range s.ops {
		h.loaded[id] = true
	}
	s.mu.RUnlock()
	updated := map[string]OperationInfo{}
	for _, id := range updatedIDs {
		if rec := h.inv.state.get(id); rec != nil {
			updated[id] = operationInfo(rec, true)
		}
	}
	ctx := h.inv.goctx
	if len(h.ps.invocation) > 0 || len(h.ps.context) > 0 {
		info := h.invocationInfo(first)
		info.UpdatedOperations = updated
		for _, p := range h.ps.invocation {
			safely(func() { p.OnInvocationStart(ctx, info) })
		}
		h.inv.rootctx = h.derive(ctx, func(p ContextHook, ctx context.Context) context.Context { return p.InvocationContext(ctx, info) })
	}
	if len(updated) > 0 {
		h.changed(updated)
	}
}

func (h *hooks) invocationEnd(first bool, out *InvocationOutput, err error) {
	if h == nil || len(h.ps.invocation) == 0 {
		return
	}
	info := h.invocationInfo(first)
	info.Status, info.Err = InvocationPending, err
	if out != nil {
		info.Status = out.Status
		if out.Error != nil && err == nil {
			info.Err = &OperationError{Kind: "ExecutionError", ErrorObject: *out.Error}
		}
	}
	for _, p := range h.ps.invocation {
		safely(func() { p.OnInvocationEnd(h.inv.rootContext(), info) })
	}
}

// changed reports changed operations and the completions among them.
func (h *hooks) changed(updated map[string]OperationInfo) {
	if h == nil {
		return
	}
	if len(h.ps.change) > 0 {
		info := &OperationChangeInfo{ExecutionArn: h.inv.arn, Updated: updated, Operations: h.operations()}
		for _, p := range h.ps.change {
			safely(func() { p.OnOperationChange(h.inv.rootContext(), info) })
		}
	}
	for _, op := range updated {
		if op.Status.Terminal() && op.Type != OperationTypeExecution {
			h.operationEnd(op)
		}
	}
}

// merged is called with the operations a checkpoint response changed.
func (h *hooks) merged(ops []Operation) {
	if h == nil || len(ops) == 0 {
		return
	}
	if len(h.ps.change) == 0 { // only the completions to report: no map
		for i := range ops {
			if ops[i].Status.Terminal() && ops[i].Type != OperationTypeExecution {
				h.operationEnd(operationInfo(&ops[i], h.loaded[ops[i].ID]))
			}
		}
		return
	}
	updated := make(map[string]OperationInfo, len(ops))
	for i := range ops {
		updated[ops[i].ID] = operationInfo(&ops[i], h.loaded[ops[i].ID])
	}
	h.changed(updated)
}

func (h *hooks) operationEnd(info OperationInfo) {
	if len(h.ps.operation) == 0 {
		return
	}
	h.mu.Lock()
	done := h.ended[info.ID]
	h.ended[info.ID] = true
	h.mu.Unlock()
	if done {
		return
	}
	for _, p := range h.ps.operation {
		safely(func() { p.OnOperationEnd(h.inv.rootContext(), &info) })
	}
}

// operationStart reports a call on an operation that has not completed.
func (h *hooks) operationStart(o *op) {
	if h == nil || len(h.ps.operation) == 0 || (o.rec != nil && o.rec.Status.Terminal()) {
		return
	}
	info := OperationInfo{ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType}
	if o.rec != nil {
		info = operationInfo(o.rec, true)
	}
	for _, p := range h.ps.operation {
		safely(func() { p.OnOperationStart(o.ctx.goContext(), &info) })
	}
}

// attempt reports an attempt's start and returns the attempt's Go context
// and the function reporting its end.
func (h *hooks) attempt(o *op, attempt int) (context.Context, func(err error)) {
	ctx := o.ctx.goContext()
	if h == nil || (len(h.ps.attempt) == 0 && len(h.ps.context) == 0) {
		return ctx, func(error) {}
	}
	info := &AttemptInfo{
		ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType,
		Attempt: attempt, StartTimestamp: time.Now().UTC(), IsReplay: o.rec != nil,
	}
	for _, p := range h.ps.attempt {
		safely(func() { p.OnAttemptStart(ctx, info) })
	}
	ctx = h.derive(ctx, func(p ContextHook, ctx context.Context) context.Context { return p.AttemptContext(ctx, info) })
	return ctx, func(err error) {
		end := *info
		end.EndTimestamp, end.Succeeded, end.Err = time.Now().UTC(), err == nil, err
		for _, p := range h.ps.attempt {
			safely(func() { p.OnAttemptEnd(ctx, &end) })
		}
	}
}

// function reports a user function's start and returns the function's
// Go context and the function reporting its end.
func (h *hooks) function(o *op, replayingChildren, virtual bool) (context.Context, func(err error)) {
	ctx := o.ctx.goContext()
	if h == nil || (len(h.ps.function) == 0 && len(h.ps.context) == 0) {
		return ctx, func(error) {}
	}
	info := &FunctionInfo{
		ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType,
		IsReplayingChildren: replayingChildren, Virtual: virtual,
	}
	for _, p := range h.ps.function {
		safely(func() { p.OnFunctionStart(ctx, info) })
	}
	ctx = h.derive(ctx, func(p ContextHook, ctx context.Context) context.Context { return p.FunctionContext(ctx, info) })
	return ctx, func(err error) {
		end := *info
		end.Succeeded, end.Err = err == nil, err
		for _, p := range h.ps.function {
			safely(func() { p.OnFunctionEnd(ctx, &end) })
		}
	}
}
