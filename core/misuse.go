package durable

import (
	"context"
	"fmt"
	"sync"

	"github.com/durable-go/durable-go/core/protocol"
)

// misuseError reports a durable operation called in a way the runtime
// cannot make deterministic. Err is ErrWrongGoroutine, ErrContextInUse or
// ErrContextDone, which callers match with errors.Is; the message names
// the operation and what to do instead.
type misuseError struct {
	Operation string // the operation called, e.g. `Wait "reminder"`
	Err       error
	Detail    string // what to do instead
}

func (e *misuseError) Error() string {
	return fmt.Sprintf("durable: %s %v; %s", e.Operation, e.Err, e.Detail)
}

func (e *misuseError) Unwrap() error { return e.Err }

// ErrorType names the error in checkpointed ErrorObjects.
func (e *misuseError) ErrorType() string { return "MisuseError" }

// checkUse runs at the start of every durable operation, before it takes
// an id; inUse says whether the context may already be running one of its
// operations (Callback.Result may be awaited inside a child, not inside a
// step body). A call from
// a deferred function of a task that is ending returns ErrSuspending and
// fails nothing. The goroutine check costs one assembly call on amd64 and
// arm64 (goroutine_fast.go), so it runs on replayed operations too.
func (c *Context) checkUse(subType, name string, inUse bool) error {
	inv := c.inv
	if inv.misused.Load() {
		return inv.fatalErr()
	}
	var cause error
	stepBody := false // a step body of a child awaits its parent's callback
	switch {
	case c.done.Load():
		cause = ErrContextDone
	case (cheapGoroutineID || !c.replaying.Load()) && curGoroutine() != c.task.g:
		cause = ErrWrongGoroutine
	case c.task.end == taskSuspended || c.task.end == taskAborted:
		// The owner is ending (suspension, abort) and runs its deferred
		// calls: nothing may run or be checkpointed now, out of order.
		return fmt.Errorf("durable: %s %w; it did nothing: deferred calls run when the function suspends (an invocation, or one map item or parallel branch), and again when it returns", describeCall(subType, name), ErrSuspending)
	case c.busy.Load() && (!inUse || runsStepBody(c.innerSub)):
		cause = ErrContextInUse
	case inUse && c.task.stepBodies > 0:
		cause, stepBody = ErrContextInUse, true
	default:
		return nil
	}
	err := &misuseError{Operation: describeCall(subType, name), Err: cause}
	switch cause {
	case ErrWrongGoroutine:
		err.Detail = "run concurrent durable work with Map or Parallel, and call operations only with the Context the handler, child or branch function received"
	case ErrContextInUse:
		err.Detail = fmt.Sprintf("inside %s, use the Context the function receives, not its parent's", describeCall(c.innerSub, c.innerName))
		switch c.innerSub {
		case protocol.SubTypeStep, protocol.SubTypeWaitForCondition:
			err.Detail = fmt.Sprintf("%s is running: a step body cannot start durable operations or await a callback; use RunInChildContext to group operations", describeCall(c.innerSub, c.innerName))
		case protocol.SubTypeWaitForCallback:
			err.Detail = fmt.Sprintf("%s is running: its submitter is a step body, which cannot start durable operations or await a callback; run them before or after WaitForCallback", describeCall(c.innerSub, c.innerName))
		}
		if stepBody {
			err.Detail = "a step body is running: it cannot await a callback; await it in durable code, before or after the step"
		}
	case ErrContextDone:
		err.Detail = "a Context is valid only until its function returns; do not keep it in goroutines or variables that outlive the function"
	}
	inv.setFatal(err)
	inv.misused.Store(true)
	inv.cfg.logging.sdkLog(areaExecution).Error("durable operation misused", "executionArn", inv.arn, "error", err)
	return inv.fatalErr()
}

// runsStepBody reports whether user code running inside an operation of
// subType is a step body: a step's, a condition check, or a
// WaitForCallback's submitter (its only code). A step body may neither
// start an operation nor await a callback: it must not suspend.
func runsStepBody(subType string) bool {
	switch subType {
	case protocol.SubTypeStep, protocol.SubTypeWaitForCondition, protocol.SubTypeWaitForCallback:
		return true
	}
	return false
}

// describeCall names an operation call for error messages.
func describeCall(subType, name string) string {
	if subType == protocol.SubTypeChainedInvoke {
		subType = "Invoke"
	}
	if name == "" {
		return subType + " (unnamed)"
	}
	return fmt.Sprintf("%s %q", subType, name)
}

// finish marks the context's function as returned.
func (c *Context) finish() { c.done.Store(true) }

// stepScope makes a StepContext's Go context end with its body. The
// cancellable context is created on the first Context call only, so bodies
// that never ask for it pay nothing.
type stepScope struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelCauseFunc
	done   bool
}

func (s *stepScope) context(sc *StepContext) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		s.ctx, s.cancel = context.WithCancelCause(sc.ctx)
		if s.done {
			s.cancel(stepDone(sc))
		}
	}
	return s.ctx
}

func (s *stepScope) finish(sc *StepContext) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done = true
	if s.cancel != nil {
		s.cancel(stepDone(sc))
	}
}

// end marks the step body as returned: its Go context ends and its task
// no longer runs a step body.
func (s *StepContext) end() {
	s.task.stepBodies--
	s.scope.finish(s)
}

func stepDone(sc *StepContext) error {
	return &misuseError{
		Operation: describeCall(protocol.SubTypeStep, sc.name), Err: ErrContextDone,
		Detail: "the step body has returned; work it started must not outlive it",
	}
}
