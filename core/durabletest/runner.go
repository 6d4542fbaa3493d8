package durabletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Handler is a Lambda handler, the lambda.Handler interface of
// aws-lambda-go; durable.Handler returns one.
type Handler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Runner runs a durable handler locally against an in-memory service, the
// way Lambda would run it: each invocation gets a durable invocation event
// and must answer with an output envelope; the runner re-invokes after a
// suspension once what the execution waits for has happened, on a virtual
// clock that jumps over waits and retry delays.
type Runner struct {
	svc     *Service
	handler Handler
	err     error // the configuration's fault, wrapping ErrInvalidConfig
}

// NewRunner returns a runner for h. A nil h or an invalid option makes
// every Start and Run fail with an error wrapping ErrInvalidConfig.
func NewRunner(h Handler, opts ...Option) *Runner {
	cfg := newConfig(opts)
	if isNil(h) {
		cfg.errs = append([]error{errors.New("NewRunner was given a nil handler")}, cfg.errs...)
	}
	if _, ok := cfg.targets[cfg.functionName]; ok {
		cfg.invalid("WithInvokeTarget(%q) names the runner's own function (see WithFunctionName)", cfg.functionName)
	}
	cfg.functions = map[string]Handler{cfg.functionName: h}
	for name, t := range cfg.targets {
		cfg.functions[name] = t
	}
	r := &Runner{svc: newService(cfg), handler: h}
	if len(cfg.errs) > 0 {
		r.err = fmt.Errorf("%w: %w", ErrInvalidConfig, errors.Join(cfg.errs...))
	}
	return r
}

// isNil reports whether h is nil, or a typed nil such as a nil
// *durable.Function, whose Invoke could only panic.
func isNil(h Handler) bool {
	if h == nil {
		return true
	}
	switch v := reflect.ValueOf(h); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Chan, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// Service returns the in-memory durable service the runner's handlers
// talk to, for tests that speak the protocol directly.
func (r *Runner) Service() *Service { return r.svc }

// Executions returns every execution of the runner in creation order: the
// ones it started and those started by chained invokes.
func (r *Runner) Executions() []*Execution {
	r.svc.mu.Lock()
	defer r.svc.mu.Unlock()
	return append([]*Execution(nil), r.svc.order...)
}

// Start creates an execution whose input is the JSON encoding of input
// (pass a json.RawMessage to give the JSON text yourself) and runs
// invocations until it is terminal or waits for time to pass or for a
// callback. The error reports a problem of the runner (a configuration
// error wrapping ErrInvalidConfig, an unencodable input, a cancelled ctx),
// never the execution's own failure: see Execution.Status and
// Execution.Error. When ctx ends while a handler runs, Start, Run and the
// Execution methods that drive executions stop waiting for it: the
// invocation counts as crashed, what the handler returns later is
// dropped, and the error wraps ctx's and names the invocation, so a
// handler stuck in a call that ignores its context fails its test instead
// of hanging it.
//
// Start, Run and the Execution methods that drive executions
// (RunUntilIdle, Advance, RunToCompletion) may be called from several
// goroutines, such as parallel subtests sharing a runner: they take turns,
// since they move the one virtual clock of the runner, and one waiting for
// its turn gives up with ctx.Err() when ctx ends. Called from inside a
// handler, with a context derived from the handler's, they fail with
// ErrBusy (pass the handler's context: with an unrelated one they would
// wait for the handler forever).
func (r *Runner) Start(ctx context.Context, input any) (*Execution, error) {
	if r.err != nil {
		return nil, r.err
	}
	b, err := json.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("durabletest: encoding the execution input: %w", err)
	}
	payload := string(b)
	s := r.svc
	release, err := s.drive(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	s.mu.Lock()
	e := s.startExecution(s.cfg.functionName, "", r.handler, &payload, s.cfg.tenantID, nil)
	s.mu.Unlock()
	return e, s.drain(ctx)
}

// Run starts an execution and runs it to completion (Start, then
// RunToCompletion). It returns an error wrapping ErrBlocked if the
// execution ends up waiting for a callback nobody will send.
func (r *Runner) Run(ctx context.Context, input any) (*Execution, error) {
	e, err := r.Start(ctx, input)
	if err != nil {
		return e, err
	}
	return e, e.RunToCompletion(ctx)
}

// RunUntilIdle invokes every execution of the runner whose invocation is
// due at the current virtual time (the first one, or a re-invocation
// after a wait ended, a callback completed, a retry came due, a chained
// invoke finished or an invocation crashed), until none is. It does not
// move the clock.
func (e *Execution) RunUntilIdle(ctx context.Context) error {
	s := e.svc
	release, err := s.drive(ctx)
	if err != nil {
		return err
	}
	defer release()
	return s.drain(ctx)
}

// Advance moves the virtual clock forward by d. Timers due on the way
// fire in order, each at its own instant, and the invocations they cause
// run at that instant before the clock moves on.
func (e *Execution) Advance(ctx context.Context, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("durabletest: Advance(%v): the clock cannot go back", d)
	}
	s := e.svc
	release, err := s.drive(ctx)
	if err != nil {
		return err
	}
	defer release()
	s.mu.Lock()
	target := s.clock.now.Add(d)
	s.mu.Unlock()
	for {
		if err := s.drain(ctx); err != nil {
			return err
		}
		s.mu.Lock()
		fired := s.clock.fireNext(target)
		if !fired && s.clock.now.Before(target) {
			s.clock.now = target
		}
		s.mu.Unlock()
		if !fired {
			return nil
		}
	}
}

// RunToCompletion runs the execution until it is terminal, jumping the
// virtual clock to the next timer whenever nothing is due. If the
// execution is not terminal and no timer is left (it waits for a callback
// without timeout), it returns an error wrapping ErrBlocked; the
// execution timeout alone does not count as a way forward (use Advance to
// reach it).
func (e *Execution) RunToCompletion(ctx context.Context) error {
	s := e.svc
	release, err := s.drive(ctx)
	if err != nil {
		return err
	}
	defer release()
	for {
		if err := s.drain(ctx); err != nil {
			return err
		}
		s.mu.Lock()
		if e.status != ExecutionRunning {
			s.mu.Unlock()
			return nil
		}
		t, ok := s.clock.next(false)
		if !ok {
			reason := e.blockedReason()
			s.mu.Unlock()
			return fmt.Errorf("%w: %s", ErrBlocked, reason)
		}
		s.clock.fireNext(t.at)
		s.mu.Unlock()
	}
}

// blockedReason names the operations a blocked execution waits for.
func (e *Execution) blockedReason() string {
	var waits []string
	for _, rec := range e.opList {
		op := rec.op
		if op.Status.Terminal() || op.Type == protocol.OperationTypeExecution {
			continue
		}
		switch {
		case op.Type == protocol.OperationTypeCallback:
			waits = append(waits, fmt.Sprintf("callback %q (CallbackId %s)", op.Name, op.CallbackDetails.CallbackID))
		case op.Type == protocol.OperationTypeChainedInvoke && rec.target != nil:
			waits = append(waits, fmt.Sprintf("chained invoke %q of %s, which waits for %s", op.Name, rec.target.function, rec.target.blockedReason()))
		}
	}
	if len(waits) == 0 {
		return "nothing is pending that the runner could complete"
	}
	return "waiting for " + strings.Join(waits, ", ")
}

// NextTimer returns when the next timer of the runner fires (a wait
// ending, a retry coming due, a callback timing out), if any. It helps
// tests that act at chosen moments, such as sending a callback just
// before its timeout.
func (e *Execution) NextTimer() (time.Time, bool) {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	t, ok := e.svc.clock.next(false)
	if !ok {
		return time.Time{}, false
	}
	return t.at, true
}

// Clock returns the current virtual time.
func (e *Execution) Clock() time.Time { return e.svc.Now() }

// SendCallbackSuccess completes a callback of the runner with result, as
// SendDurableExecutionCallbackSuccess would. See Service.SendCallbackSuccess;
// call RunUntilIdle or RunToCompletion afterwards to let the execution
// continue.
func (e *Execution) SendCallbackSuccess(ctx context.Context, callbackID string, result []byte) error {
	return e.svc.SendCallbackSuccess(ctx, callbackID, result)
}

// SendCallbackFailure fails a callback of the runner, as
// SendDurableExecutionCallbackFailure would.
func (e *Execution) SendCallbackFailure(ctx context.Context, callbackID string, errObj protocol.ErrorObject) error {
	return e.svc.SendCallbackFailure(ctx, callbackID, errObj)
}

// SendCallbackHeartbeat restarts a callback's heartbeat timeout, as
// SendDurableExecutionCallbackHeartbeat would.
func (e *Execution) SendCallbackHeartbeat(ctx context.Context, callbackID string) error {
	return e.svc.SendCallbackHeartbeat(ctx, callbackID)
}

// Stop ends a running execution with status STOPPED, as
// StopDurableExecution would; errObj, optional, at most 1 MB, is recorded
// as its error.
func (e *Execution) Stop(_ context.Context, errObj *protocol.ErrorObject) error {
	if n := errorSize(errObj); n > maxErrorBytes {
		return invalidParameter(apiStop, "Error of %d bytes exceeds the limit of %d", n, maxErrorBytes)
	}
	s := e.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.status != ExecutionRunning {
		return invalidParameter(apiStop, "Execution %s is not running (status %s)", e.arn, e.status)
	}
	s.finish(e, ExecutionStopped, nil, errObj)
	return nil
}
