package durable

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// WithPlugins registers plugins on the handler (see package plugin). A
// plugin that implements no hook interface, or only part of one, is a
// mistake: the handler is still built, but each invocation of the returned
// *Function fails with an error wrapping ErrInvalidArgument that names the
// plugin and what it lacks, so the mistake shows up in the first test or
// invocation instead of as silently missing telemetry.
func WithPlugins(plugins ...plugin.Plugin) Option {
	return func(c *config) { c.plugins = append(c.plugins, plugins...) }
}

// plugins holds a handler's plugins by the hooks they implement.
type plugins struct {
	invocation []plugin.InvocationHook
	operation  []plugin.OperationHook
	attempt    []plugin.AttemptHook
	function   []plugin.FunctionHook
	change     []plugin.OperationChangeHook
	traceHooks // plugin_trace.go

	// withOps says whether some plugin reads the Operations maps (does
	// not implement plugin.OperationsOptOut).
	withOps bool

	panicked sync.Map // hooks whose panic was logged (plugin_panic.go)
}

// hookMethods maps each hook method to its interface, to tell a plugin
// that implements part of a hook (a misspelled or mistyped sibling method)
// from one that does not try.
var hookMethods = map[string]reflect.Type{
	"OnInvocationStart": reflect.TypeFor[plugin.InvocationHook](),
	"OnInvocationEnd":   reflect.TypeFor[plugin.InvocationHook](),
	"OnOperationStart":  reflect.TypeFor[plugin.OperationHook](),
	"OnOperationEnd":    reflect.TypeFor[plugin.OperationHook](),
	"OnAttemptStart":    reflect.TypeFor[plugin.AttemptHook](),
	"OnAttemptEnd":      reflect.TypeFor[plugin.AttemptHook](),
	"OnFunctionStart":   reflect.TypeFor[plugin.FunctionHook](),
	"OnFunctionEnd":     reflect.TypeFor[plugin.FunctionHook](),
	"OnOperationChange": reflect.TypeFor[plugin.OperationChangeHook](),
	"InvocationContext": reflect.TypeFor[plugin.ContextHook](),
	"FunctionContext":   reflect.TypeFor[plugin.ContextHook](),
	"AttemptContext":    reflect.TypeFor[plugin.ContextHook](),
	"LogAttrs":          reflect.TypeFor[plugin.LogAttrsHook](),
	"OnCheckpoint":      reflect.TypeFor[plugin.CheckpointHook](),
	"InvokePayload":     reflect.TypeFor[plugin.InvokeHook](),
}

// checkPlugin reports why p, the i-th registered plugin, cannot work.
func checkPlugin(i int, p plugin.Plugin) error {
	if p == nil {
		return fmt.Errorf("%w: WithPlugins: plugin %d is nil", ErrInvalidArgument, i)
	}
	t := reflect.TypeOf(p)
	hooks := 0
	var errs []error
	for j := range t.NumMethod() {
		m := t.Method(j)
		iface, ok := hookMethods[m.Name]
		if !ok {
			continue
		}
		if t.Implements(iface) {
			hooks++
			continue
		}
		errs = append(errs, fmt.Errorf("%w: WithPlugins: plugin %d (%s) has method %s but does not implement plugin.%s: check the other methods' names and signatures", ErrInvalidArgument, i, t, m.Name, iface.Name()))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if hooks == 0 {
		if t.Kind() != reflect.Pointer && reflect.PointerTo(t).NumMethod() > t.NumMethod() {
			return fmt.Errorf("%w: WithPlugins: plugin %d (%s) implements no hook interface; its methods have pointer receivers: register a pointer (&%s{...})", ErrInvalidArgument, i, t, t)
		}
		return fmt.Errorf("%w: WithPlugins: plugin %d (%s) implements no hook interface of package plugin (InvocationHook, OperationHook, AttemptHook, FunctionHook, OperationChangeHook, ContextHook, LogAttrsHook, CheckpointHook, InvokeHook)", ErrInvalidArgument, i, t)
	}
	return nil
}

// newPlugins sorts the plugins by hook, or reports every plugin that
// cannot work.
func newPlugins(list []plugin.Plugin) (*plugins, error) {
	ps := &plugins{}
	var errs []error
	for i, p := range list {
		if err := checkPlugin(i, p); err != nil {
			errs = append(errs, err)
			continue
		}
		if h, ok := p.(plugin.InvocationHook); ok {
			ps.invocation = append(ps.invocation, h)
		}
		if h, ok := p.(plugin.OperationHook); ok {
			ps.operation = append(ps.operation, h)
		}
		if h, ok := p.(plugin.AttemptHook); ok {
			ps.attempt = append(ps.attempt, h)
		}
		if h, ok := p.(plugin.FunctionHook); ok {
			ps.function = append(ps.function, h)
		}
		if h, ok := p.(plugin.OperationChangeHook); ok {
			ps.change = append(ps.change, h)
		}
		ps.traceHooks.add(p)
		if _, ok := p.(plugin.OperationsOptOut); !ok {
			ps.withOps = true
		}
	}
	return ps, errors.Join(errs...)
}

// operationInfo describes rec (which may be nil before the first
// checkpoint) for the call o.
func operationInfo(rec *protocol.Operation, replay bool) plugin.OperationInfo {
	info := plugin.OperationInfo{
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
	ps *plugins
	// loaded is the state the invocation started from: a clone of the
	// state's map (a copy of its table, cheaper than a set built entry by
	// entry), read for IsReplay.
	loaded    map[string]*protocol.Operation
	completed int // terminal operations among them, besides the EXECUTION
	inv       *invocation

	// endInfo is the info of the completions merged reports, one after
	// the other (an info is the hook's for the call only; merged runs on
	// the checkpointer's goroutine only).
	endInfo plugin.OperationInfo
	// abandoned holds the batch items reported abandoned (abandon), so
	// that a late record of one is not reported too; abandoning says
	// whether any was, read without abandonMu.
	abandonMu  sync.Mutex
	abandoned  map[string]struct{}
	abandoning atomic.Bool

	// repeats counts, by id, the records of the response being merged
	// that replaced a terminal record (repeated): a record the state held
	// terminal before the response, whose end was reported (or which was
	// complete when the invocation started), or a terminal record the
	// response holds twice. Written and read on the checkpointer's
	// goroutine only.
	repeats map[string]int
}

func newHooks(ps *plugins, inv *invocation) *hooks {
	if ps == nil {
		return nil
	}
	return &hooks{ps: ps, inv: inv}
}

// repeated notes that the response being merged repeats the terminal
// operation id (checkpointer.onRepeat).
func (h *hooks) repeated(id string) {
	if h.repeats == nil {
		h.repeats = map[string]int{}
	}
	h.repeats[id]++
}

// completion reports whether the record op of the response being merged
// is to be reported as its operation's end. Of an operation's terminal
// records in the response, as many as were repeats are not: none when
// the state held it terminal before, all but one when the response holds
// it terminal several times. An operation's end is thus reported once,
// without a record of the operations reported (a map's would hold
// thousands).
func (h *hooks) completion(op *protocol.Operation) bool {
	if !op.Status.Terminal() || op.Type == protocol.OperationTypeExecution {
		return false
	}
	if n := h.repeats[op.ID]; n > 0 {
		h.repeats[op.ID] = n - 1
		return false
	}
	if h.abandoning.Load() { // the state holds op already: see abandon
		h.abandonMu.Lock()
		_, reported := h.abandoned[op.ID]
		h.abandonMu.Unlock()
		return !reported
	}
	return true
}

// abandon reports the end of the batch items ids, which the batch batchID
// completed without (plugin.OperationInfo.Abandoned), once their batch's
// completion was checkpointed. An item that has no record, or a terminal
// one (an item that finished as its batch completed: its end is reported
// as any other), is not reported. An item's record may still turn
// terminal later (an orphaned item that got its update queued as the
// batch completed): merged then leaves it out (completion). abandoning is
// set before the state is read, and merged reads it after the state holds
// the record, so one of them sees the other.
func (h *hooks) abandon(batchID string, ids []string) {
	if h == nil || len(h.ps.operation) == 0 || len(ids) == 0 {
		return
	}
	end := time.Now().UTC()
	if rec := h.inv.state.get(batchID); rec != nil && rec.EndTimestamp != nil {
		end = rec.EndTimestamp.Time
	}
	h.abandoning.Store(true)
	for _, id := range ids {
		h.abandonMu.Lock()
		rec := h.inv.state.get(id)
		report := rec != nil && !rec.Status.Terminal()
		if report {
			if h.abandoned == nil {
				h.abandoned = map[string]struct{}{}
			}
			h.abandoned[id] = struct{}{}
		}
		h.abandonMu.Unlock()
		if report {
			info := operationInfo(rec, h.isLoaded(id))
			info.EndTimestamp, info.Abandoned = end, true
			h.operationEnd(&info)
		}
	}
}

// abandonUnrecorded reports the end of the batch item o, whose start was
// reported, when its batch completed before its START could be queued:
// the update is refused (errOrphaned), so abandon, which reports the
// items with a STARTED record, never sees it. Its end is reported as
// abandon reports the others': STARTED, Abandoned, at the batch's end.
func (h *hooks) abandonUnrecorded(o *op) {
	if h == nil || len(h.ps.operation) == 0 {
		return
	}
	end := time.Now().UTC()
	if rec := h.inv.state.get(o.ctx.parentID); rec != nil && rec.EndTimestamp != nil {
		end = rec.EndTimestamp.Time
	}
	info := plugin.OperationInfo{ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType,
		Status: protocol.StatusStarted, StartTimestamp: end, EndTimestamp: end, Abandoned: true}
	h.operationEnd(&info)
}

// isLoaded reports whether id was in the state the invocation started from.
func (h *hooks) isLoaded(id string) bool {
	_, ok := h.loaded[id]
	return ok
}

// operations is the Operations map of the infos: nil when every plugin
// opted out of it.
func (h *hooks) operations() map[string]plugin.OperationInfo {
	if !h.ps.withOps {
		return nil
	}
	s := h.inv.state
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]plugin.OperationInfo, len(s.ops))
	for id, rec := range s.ops {
		out[id] = operationInfo(rec, h.isLoaded(id))
	}
	return out
}

func (h *hooks) invocationInfo(first bool) *plugin.InvocationInfo {
	info := &plugin.InvocationInfo{
		ExecutionArn: h.inv.arn, RequestID: h.inv.requestID, TenantID: h.inv.tenantID,
		IsFirstInvocation: first, Operations: h.operations(), CompletedOperations: h.completed,
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
// suspended, and the completions among them (the only report of their
// end: a response that repeats them later is noted by repeated).
func (h *hooks) invocationStart(first bool, updatedIDs []string) {
	if h == nil {
		return
	}
	s := h.inv.state
	s.mu.RLock()
	h.loaded = maps.Clone(s.ops)
	for _, rec := range s.ops {
		if rec.Status.Terminal() && rec.Type != protocol.OperationTypeExecution {
			h.completed++
		}
	}
	s.mu.RUnlock()
	updated := make(map[string]plugin.OperationInfo, len(updatedIDs))
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
			h.safely(p, "OnInvocationStart", func() { p.OnInvocationStart(ctx, info) })
		}
		for _, p := range h.ps.context {
			h.safely(p, "InvocationContext", func() { ctx = derived(ctx, p.InvocationContext(ctx, info)) })
		}
		h.inv.rootctx = ctx
	}
	if len(updated) > 0 {
		h.changed(updated)
	}
}

func (h *hooks) invocationEnd(first bool, out *protocol.InvocationOutput, err error) {
	if h == nil || len(h.ps.invocation) == 0 {
		return
	}
	info := h.invocationInfo(first)
	info.Status, info.Err = protocol.InvocationPending, err
	if out != nil {
		info.Status = out.Status
		if out.Error != nil && err == nil {
			info.Err = &OperationError{Kind: "ExecutionError", ErrorObject: *out.Error}
		}
	}
	for _, p := range h.ps.invocation {
		h.safely(p, "OnInvocationEnd", func() { p.OnInvocationEnd(h.inv.rootContext(), info) })
	}
}

// changed reports the operations updated while the execution was
// suspended, and the completions among them.
func (h *hooks) changed(updated map[string]plugin.OperationInfo) {
	h.change(updated)
	for _, op := range updated {
		if op.Status.Terminal() && op.Type != protocol.OperationTypeExecution {
			h.operationEnd(&op)
		}
	}
}

// change reports changed operations to the OperationChangeHooks.
func (h *hooks) change(updated map[string]plugin.OperationInfo) {
	if len(h.ps.change) == 0 {
		return
	}
	info := &plugin.OperationChangeInfo{ExecutionArn: h.inv.arn, Updated: updated, Operations: h.operations()}
	for _, p := range h.ps.change {
		h.safely(p, "OnOperationChange", func() { p.OnOperationChange(h.inv.rootContext(), info) })
	}
}

// merged is called with the operations a checkpoint response changed,
// after repeated was told of its repeats.
func (h *hooks) merged(ops []protocol.Operation) {
	if h == nil || len(ops) == 0 {
		return
	}
	defer clear(h.repeats)
	if len(h.ps.change) > 0 {
		updated := make(map[string]plugin.OperationInfo, len(ops))
		for i := range ops {
			updated[ops[i].ID] = operationInfo(&ops[i], h.isLoaded(ops[i].ID))
		}
		h.change(updated)
	}
	if len(h.ps.operation) == 0 {
		return
	}
	// The info is the hooks' for the call only (package plugin): one
	// serves completion after completion.
	info := &h.endInfo
	for i := range ops {
		if h.completion(&ops[i]) {
			*info = operationInfo(&ops[i], h.isLoaded(ops[i].ID))
			h.operationEnd(info)
		}
	}
	*info = plugin.OperationInfo{} // keeps no result nor error alive
}

// operationEnd reports info's operation ended. Its callers report each
// operation once: invocationStart those updated while the execution was
// suspended, merged those a response completed (completion).
func (h *hooks) operationEnd(info *plugin.OperationInfo) {
	if len(h.ps.operation) == 0 {
		return
	}
	for _, p := range h.ps.operation {
		h.safely(p, "OnOperationEnd", func() { p.OnOperationEnd(h.inv.rootContext(), info) })
	}
}

// refused reports the end of the call o, whose start operationStart
// reported, when the SDK refuses it with err before anything is
// checkpointed (an Invoke input over the service's limit, an invalid
// Map or Parallel option): it has no record that could end it, so it ends
// here, FAILED with the error the code gets.
func (h *hooks) refused(o *op, err error) {
	if h == nil || len(h.ps.operation) == 0 || (o.rec != nil && o.rec.Status.Terminal()) {
		return
	}
	eo := errorObjectOf(err)
	info := operationInfos.Get().(*plugin.OperationInfo)
	*info = plugin.OperationInfo{ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType,
		Status: protocol.StatusFailed, Error: &eo, IsReplay: h.isLoaded(o.id)}
	if o.rec != nil {
		*info = operationInfo(o.rec, true)
		info.Status, info.Error = protocol.StatusFailed, &eo
	}
	info.EndTimestamp = time.Now().UTC()
	if info.StartTimestamp.IsZero() {
		info.StartTimestamp = info.EndTimestamp
	}
	h.operationEnd(info)
	*info = plugin.OperationInfo{}
	operationInfos.Put(info)
}

// Pools of the infos of the hooks called per operation: package plugin
// says an info is the hook's for the call only, so once the hooks
// returned it serves the next operation, and the hooks of an operation
// cost no allocation.
var (
	operationInfos = sync.Pool{New: func() any { return new(plugin.OperationInfo) }}
	attemptCalls   = sync.Pool{New: func() any { return new(attemptCall) }}
	functionCalls  = sync.Pool{New: func() any { return new(functionCall) }}
)

// operationStart reports a call on an operation that has not completed.
func (h *hooks) operationStart(o *op) {
	if h == nil || len(h.ps.operation) == 0 || (o.rec != nil && o.rec.Status.Terminal()) {
		return
	}
	info := operationInfos.Get().(*plugin.OperationInfo)
	if o.rec != nil {
		*info = operationInfo(o.rec, true)
	} else {
		*info = plugin.OperationInfo{ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType}
	}
	ctx := o.ctx.goContext()
	for _, p := range h.ps.operation {
		h.safely(p, "OnOperationStart", func() { p.OnOperationStart(ctx, info) })
	}
	*info = plugin.OperationInfo{}
	operationInfos.Put(info)
}

// attempt reports an attempt's start and returns the attempt's Go context
// and the call whose finish method reports its end (nil when no plugin
// observes attempts: finish does nothing).
func (h *hooks) attempt(o *op, attempt int) (context.Context, *attemptCall) {
	ctx := o.ctx.goContext()
	if h == nil || (len(h.ps.attempt) == 0 && len(h.ps.context) == 0) {
		return ctx, nil
	}
	c := attemptCalls.Get().(*attemptCall)
	c.h, c.info = h, plugin.AttemptInfo{
		ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType,
		Attempt: attempt, StartTimestamp: time.Now().UTC(), IsReplay: o.rec != nil,
	}
	for _, p := range h.ps.attempt {
		h.safely(p, "OnAttemptStart", func() { p.OnAttemptStart(ctx, &c.info) })
	}
	for _, p := range h.ps.context {
		h.safely(p, "AttemptContext", func() { ctx = derived(ctx, p.AttemptContext(ctx, &c.info)) })
	}
	if len(h.ps.attempt) == 0 {
		*c = attemptCall{}
		attemptCalls.Put(c)
		return ctx, nil
	}
	c.ctx = ctx
	return ctx, c
}

// attemptCall is one attempt's hook state.
type attemptCall struct {
	h    *hooks
	ctx  context.Context
	info plugin.AttemptInfo
}

// finish reports the attempt's end (nothing when c is nil), after which c
// goes back to its pool. The start's info, the hooks' during their calls
// only, becomes the end's.
func (c *attemptCall) finish(err error) {
	if c == nil {
		return
	}
	c.info.EndTimestamp, c.info.Succeeded, c.info.Err = time.Now().UTC(), err == nil, err
	for _, p := range c.h.ps.attempt {
		c.h.safely(p, "OnAttemptEnd", func() { p.OnAttemptEnd(c.ctx, &c.info) })
	}
	*c = attemptCall{}
	attemptCalls.Put(c)
}

// function reports a user function's start and returns the function's
// Go context and the call whose finish method reports its end (nil when no
// plugin observes functions: finish does nothing).
func (h *hooks) function(o *op, replayingChildren, virtual bool) (context.Context, *functionCall) {
	ctx := o.ctx.goContext()
	if h == nil || (len(h.ps.function) == 0 && len(h.ps.context) == 0) {
		return ctx, nil
	}
	c := functionCalls.Get().(*functionCall)
	c.h, c.info = h, plugin.FunctionInfo{
		ID: o.id, ParentID: o.ctx.parentID, Name: o.name, Type: o.typ, SubType: o.subType,
		IsReplayingChildren: replayingChildren, Virtual: virtual,
	}
	for _, p := range h.ps.function {
		h.safely(p, "OnFunctionStart", func() { p.OnFunctionStart(ctx, &c.info) })
	}
	for _, p := range h.ps.context {
		h.safely(p, "FunctionContext", func() { ctx = derived(ctx, p.FunctionContext(ctx, &c.info)) })
	}
	if len(h.ps.function) == 0 {
		*c = functionCall{}
		functionCalls.Put(c)
		return ctx, nil
	}
	c.ctx = ctx
	return ctx, c
}

// functionCall is one user function's hook state.
type functionCall struct {
	h    *hooks
	ctx  context.Context
	info plugin.FunctionInfo
}

// finish reports the function's end (nothing when c is nil), after which
// c goes back to its pool. The start's info becomes the end's.
func (c *functionCall) finish(err error) {
	if c == nil {
		return
	}
	c.info.Succeeded, c.info.Err = err == nil, err
	c.report()
}

// interrupt reports the end of a function that did not return: its task
// suspended, or the invocation failed fatally (then with its error).
func (c *functionCall) interrupt(end taskEnd) {
	if c == nil {
		return
	}
	c.info.Suspended = end == taskSuspended
	if !c.info.Suspended {
		c.info.Err = c.h.inv.fatalErr()
	}
	c.report()
}

// report calls OnFunctionEnd, after which c goes back to its pool.
func (c *functionCall) report() {
	for _, p := range c.h.ps.function {
		c.h.safely(p, "OnFunctionEnd", func() { p.OnFunctionEnd(c.ctx, &c.info) })
	}
	*c = functionCall{}
	functionCalls.Put(c)
}
