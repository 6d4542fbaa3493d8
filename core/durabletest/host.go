package durabletest

import (
	"container/heap"
	"context"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// Host runs the in-memory Service as a long-lived local service, the way
// the durable-local command does: on the wall clock instead of the virtual
// one, invoking due executions concurrently, with unguessable checkpoint
// tokens and callback ids. The service's rules (validation, state
// transitions, history, timers, callbacks, chained invokes, re-invocation
// after a crash) are exactly those the Runner uses.
//
// Handlers are registered by function name (Register); they are usually
// stand-ins that forward the invocation to a process, so a Host does not
// capture log lines itself.
type Host struct {
	svc      *Service
	skipTime bool
	offset   time.Duration // skip-time: how far the service clock runs ahead of the wall clock

	wake    chan struct{}
	loops   atomic.Int64 // passes of Run's loop, for tests
	running atomic.Bool  // Run is running

	subMu   sync.Mutex
	subs    map[int]func(arn string)
	nextSub int
	seen    map[string]fingerprint
}

// HostOption configures a Host.
type HostOption func(*Host)

// WithSkipTime makes the Host jump over waits and retry delays: whenever
// no invocation is running or due, the service clock moves to the next
// wait or retry timer at once. Callback timeouts still take real time,
// since only an outside action can complete a callback.
func WithSkipTime() HostOption { return func(h *Host) { h.skipTime = true } }

// NewHost returns a Host. Runner options apply: WithInvokeTarget registers
// functions, WithMaxInvocations bounds the invocations of one execution,
// WithExecutionTimeout, WithPageSize. WithStartTime and WithCrash do not
// apply (the clock follows the wall clock). An invalid option keeps its
// default (the Runner reports it as ErrInvalidConfig; a Host has no error
// to report it with).
func NewHost(opts []Option, hostOpts ...HostOption) *Host {
	cfg := newConfig(opts)
	cfg.functions = map[string]Handler{}
	for name, t := range cfg.targets {
		cfg.functions[name] = t
	}
	cfg.crash = nil
	svc := newService(cfg)
	svc.ids.random = true
	h := &Host{svc: svc, wake: make(chan struct{}, 1), subs: map[int]func(string){}, seen: map[string]fingerprint{}}
	for _, o := range hostOpts {
		o(h)
	}
	svc.clock.now = h.wallLocked()
	return h
}

var _ protocol.Service = (*Host)(nil)

// Register makes h the handler of function name, for Start and for
// chained invokes. It replaces an earlier registration. A nil handler
// cannot run: Start refuses it and a chained invoke of it fails.
func (h *Host) Register(name string, handler Handler) {
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	h.svc.cfg.functions[name] = handler
}

// Functions lists the registered function names.
func (h *Host) Functions() []string {
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	names := make([]string, 0, len(h.svc.cfg.functions))
	for n := range h.svc.cfg.functions {
		names = append(names, n)
	}
	return names
}

// Now returns the service clock: the wall clock, plus the time skipped
// with WithSkipTime.
func (h *Host) Now() time.Time {
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	h.syncLocked()
	return h.svc.clock.now
}

func (h *Host) wallLocked() time.Time {
	return time.Now().UTC().Add(h.offset).Truncate(time.Millisecond)
}

// syncLocked moves the service clock up to the wall clock. Timers that
// came due meanwhile fire in Run.
func (h *Host) syncLocked() {
	if now := h.wallLocked(); now.After(h.svc.clock.now) {
		h.svc.clock.now = now
	}
}

// executionNamePattern is what X-Amz-Durable-Execution-Name accepts.
var executionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// Start creates an execution of the registered function fn with the given
// JSON input (nil: none), as the Invoke API does. A non-empty name is the
// execution's idempotency key: starting again with the same name and input
// returns the existing execution (started false); with another input it is
// a DurableExecutionAlreadyStartedException. An unknown function is a
// ResourceNotFoundException. The first invocation runs in Run.
func (h *Host) Start(fn, qualifier, name string, input *string, tenantID string) (e *Execution, started bool, err error) {
	s := h.svc
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
		if started {
			h.changed()
		}
	}()
	h.syncLocked()
	handler, ok := s.cfg.functions[fn]
	if !ok {
		return nil, false, notFound(apiInvoke, "Function not found: %s%s", arnPrefix, fn)
	}
	if isNil(handler) {
		return nil, false, invalidParameter(apiInvoke, "Function %s%s was registered with a nil handler", arnPrefix, fn)
	}
	if name != "" {
		if !executionNamePattern.MatchString(name) {
			return nil, false, invalidParameter(apiInvoke, "Invalid durable execution name %q: 1 to 64 characters of [a-zA-Z0-9-_]", name)
		}
		for _, old := range s.order {
			if old.function == fn && old.Name() == name {
				if equalPayload(old.ops[old.id].op.ExecutionDetails.InputPayload, input) {
					return old, false, nil
				}
				return nil, false, &protocol.APIError{Operation: apiInvoke, Code: codeAlreadyStarted, StatusCode: 409,
					Message: "Durable execution " + name + " already started with a different input"}
			}
		}
	}
	e = s.startExecution(fn, qualifier, handler, input, tenantID, nil)
	if name != "" {
		delete(s.executions, e.arn)
		e.arn = arnPrefix + fn + ":" + e.version + "/durable-execution/" + name + "/" + e.id
		s.executions[e.arn] = e
	}
	return e, true, nil
}

func equalPayload(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// Execution returns the execution with the given ARN, or a
// ResourceNotFoundException.
func (h *Host) Execution(arn string) (*Execution, error) {
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	return h.svc.lookup(apiGetExecution, arn)
}

// Executions returns every execution in creation order.
func (h *Host) Executions() []*Execution {
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	return append([]*Execution(nil), h.svc.order...)
}

// Checkpoint implements protocol.Service (CheckpointDurableExecution).
func (h *Host) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	h.sync()
	defer h.changed()
	return h.svc.Checkpoint(ctx, req)
}

// GetExecutionState implements protocol.Service (GetDurableExecutionState).
func (h *Host) GetExecutionState(ctx context.Context, req protocol.StateRequest) (*protocol.ExecutionState, error) {
	h.sync()
	return h.svc.GetExecutionState(ctx, req)
}

// SendCallbackSuccess completes a callback (SendDurableExecutionCallbackSuccess).
// As the API, it refuses a result over 256 KiB with a
// RequestTooLargeException.
func (h *Host) SendCallbackSuccess(ctx context.Context, callbackID string, result []byte) error {
	h.sync()
	defer h.changed()
	return h.svc.SendCallbackSuccess(ctx, callbackID, result)
}

// SendCallbackFailure fails a callback (SendDurableExecutionCallbackFailure).
func (h *Host) SendCallbackFailure(ctx context.Context, callbackID string, errObj protocol.ErrorObject) error {
	h.sync()
	defer h.changed()
	return h.svc.SendCallbackFailure(ctx, callbackID, errObj)
}

// SendCallbackHeartbeat restarts a callback's heartbeat timeout
// (SendDurableExecutionCallbackHeartbeat).
func (h *Host) SendCallbackHeartbeat(ctx context.Context, callbackID string) error {
	h.sync()
	defer h.changed()
	return h.svc.SendCallbackHeartbeat(ctx, callbackID)
}

// Stop ends a running execution with status STOPPED (StopDurableExecution)
// and returns when it stopped. Errors: ResourceNotFoundException,
// InvalidParameterValueException when it is not running.
func (h *Host) Stop(arn string, errObj *protocol.ErrorObject) (time.Time, error) {
	e, err := h.Execution(arn)
	if err != nil {
		return time.Time{}, err
	}
	h.sync()
	defer h.changed()
	if err := e.Stop(context.Background(), errObj); err != nil {
		return time.Time{}, err
	}
	return e.EndTime(), nil
}

func (h *Host) sync() {
	h.svc.mu.Lock()
	defer h.svc.mu.Unlock()
	h.syncLocked()
}

// Run drives the service until ctx is done: it fires timers when the wall
// clock reaches them and runs every due invocation, concurrently across
// executions (one at a time per execution). One Run at a time: a second
// one while it runs fails with ErrBusy.
func (h *Host) Run(ctx context.Context) error {
	if !h.running.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: Host.Run is already running", ErrBusy)
	}
	defer h.running.Store(false)
	s := h.svc
	done := make(chan struct{}, 64)
	inflight := 0
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		h.loops.Add(1)
		s.mu.Lock()
		h.syncLocked()
		for s.clock.fireNext(s.clock.now) {
		}
		for e := s.popDue(); e != nil; e = s.popDue() {
			// The invocation begins here, under the lock: an execution
			// made due again before its goroutine ran would otherwise be
			// popped a second time and invoked twice at once.
			inv, payload, ok := h.beginLocked(e)
			if !ok {
				continue
			}
			inflight++
			wg.Add(1)
			go func(e *Execution) {
				defer wg.Done()
				h.invoke(ctx, e, inv, payload)
				select {
				case done <- struct{}{}:
				case <-ctx.Done():
				}
			}(e)
		}
		if h.skipTime && inflight == 0 && len(s.queue) == 0 {
			if t := h.nextSkippableLocked(); t != nil && t.at.After(s.clock.now) {
				skipped := t.at.Sub(s.clock.now)
				h.offset += skipped
				h.postponeCallbackTimersLocked(skipped)
				s.mu.Unlock()
				continue
			}
		}
		var wait <-chan time.Time
		var timer *time.Timer
		if t, ok := s.clock.next(true); ok {
			timer = time.NewTimer(t.at.Sub(s.clock.now))
			wait = timer.C
		}
		s.mu.Unlock()
		h.notify() // not changed: a wake of its own would spin the loop
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-h.wake:
		case <-done:
			inflight--
		case <-wait:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// nextSkippableLocked returns the earliest timer WithSkipTime may jump
// to: a wait ending or a retry coming due, not a callback or execution
// timeout.
func (h *Host) nextSkippableLocked() *timer {
	external := map[*timer]bool{}
	for _, e := range h.svc.order {
		for _, rec := range e.opList {
			external[rec.timeout], external[rec.heartbeat] = true, true
		}
	}
	var best *timer
	for _, t := range h.svc.clock.timers {
		if t.cancelled || t.background || external[t] {
			continue
		}
		if best == nil || t.before(best) {
			best = t
		}
	}
	return best
}

// postponeCallbackTimersLocked moves every live callback timeout and
// heartbeat timeout d later: skipping time jumps over waits and retry
// delays only, so a callback keeps the real time its timeouts give an
// outside system to complete it, however far the clock jumped meanwhile.
func (h *Host) postponeCallbackTimersLocked(d time.Duration) {
	for _, e := range h.svc.order {
		for _, rec := range e.opList {
			for _, t := range []*timer{rec.timeout, rec.heartbeat} {
				if t != nil && !t.cancelled {
					t.at = t.at.Add(d)
				}
			}
		}
	}
	heap.Init(&h.svc.clock.timers)
}

// beginLocked starts an invocation of e: it issues the token and builds
// the event, unless e has used up its invocations, which fails it.
func (h *Host) beginLocked(e *Execution) (*invocation, []byte, bool) {
	s := h.svc
	if len(e.invocations) >= s.cfg.maxInvocations {
		s.finish(e, ExecutionFailed, nil, &protocol.ErrorObject{ErrorType: ErrorTypeMaxInvocations,
			ErrorMessage: "execution needed more invocations than allowed"})
		return nil, nil, false
	}
	inv, payload := s.beginInvocation(e)
	return inv, payload, true
}

// invoke runs the invocation inv of e, begun by beginLocked, on the wall
// clock.
func (h *Host) invoke(ctx context.Context, e *Execution, inv *invocation, payload []byte) {
	s := h.svc
	out, err := callHandler(s.invocationContext(ctx, e, inv), e.handler, payload)

	s.mu.Lock()
	h.syncLocked()
	s.endInvocation(e, inv, out, err)
	s.mu.Unlock()
}

// Subscribe calls fn with the ARN of every execution that changed (new
// operation state, history event, invocation started or ended, status),
// after the change, outside the service's lock. The returned function
// cancels the subscription. fn must not block for long.
func (h *Host) Subscribe(fn func(arn string)) (cancel func()) {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	id := h.nextSub
	h.nextSub++
	h.subs[id] = fn
	return func() {
		h.subMu.Lock()
		defer h.subMu.Unlock()
		delete(h.subs, id)
	}
}

// fingerprint tells whether an execution changed since it was last
// reported.
type fingerprint struct {
	seq                 uint64
	events, invocations int
	running, invocating bool
}

// changed wakes Run and reports the executions that changed to the
// subscribers.
func (h *Host) changed() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
	h.notify()
}

// notify reports the executions that changed to the subscribers.
func (h *Host) notify() {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	h.svc.mu.Lock()
	var arns []string
	for _, e := range h.svc.order {
		fp := fingerprint{e.seq, e.history.len(), len(e.invocations), e.status == ExecutionRunning, e.current != nil}
		if h.seen[e.arn] != fp {
			h.seen[e.arn] = fp
			arns = append(arns, e.arn)
		}
	}
	h.svc.mu.Unlock()
	for _, arn := range arns {
		for _, fn := range h.subs {
			fn(arn)
		}
	}
}
