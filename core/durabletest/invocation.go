package durabletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// Invocation describes one Lambda invocation of an execution's handler.
type Invocation struct {
	Index     int // 1-based
	RequestID string
	Start     time.Time
	End       time.Time
	// Status is the status of the output envelope; empty when the
	// invocation crashed.
	Status protocol.InvocationStatus
	// Err is why the invocation crashed: the error Invoke returned, a
	// recovered panic, a simulated crash, an invalid output envelope, or
	// the end of the context of the Run that gave up waiting for it (it
	// wraps the context's error).
	Err error
}

// Crashed reports whether the invocation ended without a valid output.
func (i Invocation) Crashed() bool { return i.Err != nil }

// ErrCrashed is the Invocation.Err of an invocation crashed on purpose
// through Crash or WithCrash.
var ErrCrashed = errors.New("durabletest: simulated crash")

// PanicError is the Invocation.Err of a handler whose Invoke panicked.
type PanicError struct {
	Value any
	Stack []byte
}

// Error returns the panic value, as "handler panicked: <value>".
func (e *PanicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.Value) }

type invocationKey struct{}

// Crash simulates the Lambda process dying at this point of an
// invocation: from now on the service refuses every call of this
// invocation, and when its handler returns, the runner records the
// invocation as crashed (InvocationCompleted with ErrorTypeExitError) and
// re-invokes the execution. ctx must derive from the context the runner
// passed to the handler (a durable step's context does); Crash reports
// whether it found an invocation to crash, one that has not ended yet.
//
// Call it from a step body to test what happens when a step is
// interrupted; WithCrash crashes at a chosen checkpoint instead.
func Crash(ctx context.Context) bool {
	return whileRunning(ctx, func(s *Service, inv *invocation) { s.crashInvocation(inv.exec, inv) })
}

// whileRunning calls fn, under the service's lock, with the invocation
// ctx derives from if it has not ended (Crash, Sleep), and reports whether
// it did.
func whileRunning(ctx context.Context, fn func(s *Service, inv *invocation)) bool {
	if ctx == nil {
		return false
	}
	inv, ok := ctx.Value(invocationKey{}).(*invocation)
	if !ok {
		return false
	}
	s := inv.exec.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	if inv.exec.current != inv {
		return false // the invocation has ended
	}
	fn(s, inv)
	return true
}

// drain runs every due invocation, one at a time, until none is due.
// The caller holds s.driving.
func (s *Service) drain(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.Lock()
		e := s.popDue()
		s.mu.Unlock()
		if e == nil {
			return nil
		}
		if err := s.invoke(ctx, e); err != nil {
			return err
		}
	}
}

// invoke runs one invocation of e's handler, exactly as Lambda would:
// the durable event in, the output envelope out. It returns an error when
// ctx ended before the handler returned (see callUntilDone).
func (s *Service) invoke(ctx context.Context, e *Execution) error {
	s.mu.Lock()
	if len(e.invocations) >= s.cfg.maxInvocations {
		s.finish(e, ExecutionFailed, nil, &protocol.ErrorObject{ErrorType: ErrorTypeMaxInvocations,
			ErrorMessage: fmt.Sprintf("durabletest: execution needed more than %d invocations (WithMaxInvocations)", s.cfg.maxInvocations)})
		s.mu.Unlock()
		return nil
	}
	inv, payload := s.beginInvocation(e)
	s.mu.Unlock()

	out, err, abandoned := s.callUntilDone(ctx, e, inv, payload)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.endInvocation(e, inv, out, err)
	return abandoned
}

// callUntilDone calls the handler and returns its answer, or gives up on
// it when ctx ends first: a handler that ignores its context must not
// hang the test. The abandoned invocation is crashed, so that the service
// refuses its later calls, and whatever the handler returns is dropped.
func (s *Service) callUntilDone(ctx context.Context, e *Execution, inv *invocation, payload []byte) (out []byte, err, abandoned error) {
	ictx := testhook.WithClock(s.invocationContext(ctx, e, inv), invocationClock{s: s, inv: inv})
	if ctx.Done() == nil {
		out, err = callHandler(ictx, e.handler, payload)
		return out, err, nil
	}
	type answer struct {
		out []byte
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := callHandler(ictx, e.handler, payload)
		done <- answer{out, err}
	}()
	select {
	case a := <-done:
		return a.out, a.err, nil
	case <-ctx.Done():
	}
	select {
	case a := <-done: // it returned meanwhile
		return a.out, a.err, nil
	default:
	}
	s.mu.Lock()
	s.crashInvocation(e, inv)
	inv.abandoned = true
	s.mu.Unlock()
	abandoned = &abandonedError{index: inv.index, arn: e.arn, cause: context.Cause(ctx)}
	return nil, abandoned, abandoned
}

// abandonedError is the Invocation.Err of an invocation the runner gave
// up on, and what Run returns then.
type abandonedError struct {
	index int
	arn   string
	cause error
}

func (e *abandonedError) Error() string {
	return fmt.Sprintf("durabletest: invocation %d of %s still running when the context ended; the runner abandoned it (the handler ignores its context): %v",
		e.index, e.arn, e.cause)
}

func (e *abandonedError) Unwrap() error { return e.cause }

// beginInvocation issues a fresh token and builds the invocation event.
func (s *Service) beginInvocation(e *Execution) (*invocation, []byte) {
	inv := &invocation{exec: e, index: len(e.invocations) + 1, requestID: s.ids.uuid("request"), start: s.clock.now}
	e.current, e.due = inv, false
	e.token, e.tokenInv = s.ids.opaque("token"), inv
	e.cursors = nil
	ev := protocol.InvocationEvent{DurableExecutionArn: e.arn, CheckpointToken: e.token}
	if inv.index > 1 {
		for _, op := range e.changedSince(e.seenSeq) {
			ev.UpdatedOperationIDs = append(ev.UpdatedOperationIDs, op.ID)
		}
	}
	e.seenSeq = e.seq
	st := e.page(e.visibleOperations(), s.cfg.pageSize)
	ev.InitialExecutionState = &st
	e.stats.Invocations++
	return inv, encodeEvent(&ev)
}

func (s *Service) invocationContext(ctx context.Context, e *Execution, inv *invocation) context.Context {
	ctx = testhook.WithService(ctx, s)
	ctx = testhook.WithLogObserver(ctx, e.observer(inv.index))
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       inv.requestID,
		InvokedFunctionArn: arnPrefix + e.function + ":" + e.version,
		TenantID:           e.tenantID,
	})
	return context.WithValue(ctx, invocationKey{}, inv)
}

// callHandler calls Invoke, turning a panic into an error: a crashing
// handler must not take the test down.
func callHandler(ctx context.Context, h Handler, payload []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return h.Invoke(ctx, payload)
}

// endInvocation records how the invocation ended and what happens next:
// completion, suspension, or re-invocation after a crash.
func (s *Service) endInvocation(e *Execution, inv *invocation, out []byte, callErr error) {
	e.current, inv.alarms = nil, nil
	if e.tokenInv == inv {
		e.token, e.tokenInv = "", nil
	}
	env, err := decodeOutput(out, callErr, inv.crashed && !inv.abandoned)
	rec := Invocation{Index: inv.index, RequestID: inv.requestID, Start: inv.start, End: s.clock.now, Err: err}
	d := EventDetails{StartTimestamp: inv.start, EndTimestamp: s.clock.now, RequestID: inv.requestID}
	if err != nil {
		d.Error = errorOf(crashError(inv, err))
	} else {
		rec.Status = env.Status
	}
	e.invocations = append(e.invocations, rec)
	e.emit(Event{EventType: EventInvocationCompleted, Details: d})
	if e.pendingEnd != nil {
		e.emit(*e.pendingEnd)
		e.pendingEnd = nil
	}
	switch {
	case e.status != ExecutionRunning:
	case err != nil:
		s.wake(e)
	case env.Status == protocol.InvocationSucceeded:
		s.finish(e, ExecutionSucceeded, env.Result, nil)
	case env.Status == protocol.InvocationFailed:
		s.finish(e, ExecutionFailed, nil, env.Error)
	case e.due:
		s.enqueue(e)
	case !e.outstanding():
		s.finish(e, ExecutionFailed, nil, &protocol.ErrorObject{ErrorType: ErrorTypeInvalidOutput,
			ErrorMessage: "Cannot return PENDING status with no pending operations"})
	}
}

// Lambda refuses a function response larger than 6 MiB: the invocation
// fails with Function.ResponseSizeTooLarge (protocol §1.4).
const (
	maxResponseBytes      = 6 << 20
	errorTypeResponseSize = "Function.ResponseSizeTooLarge"
)

// decodeOutput validates the handler's output envelope (protocol §1.3).
func decodeOutput(out []byte, callErr error, crashed bool) (*protocol.InvocationOutput, error) {
	if crashed {
		return nil, ErrCrashed
	}
	if callErr != nil {
		return nil, callErr
	}
	if len(out) > maxResponseBytes {
		return nil, &OutputError{Output: out, Reason: fmt.Sprintf("a response of %d bytes exceeds Lambda's limit of %d", len(out), maxResponseBytes)}
	}
	var env protocol.InvocationOutput
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, &OutputError{Output: out, Reason: err.Error()}
	}
	switch {
	case env.Status == protocol.InvocationSucceeded && env.Error != nil:
		return nil, &OutputError{Output: out, Reason: "SUCCEEDED must not carry Error"}
	case env.Status == protocol.InvocationFailed && env.Result != nil:
		return nil, &OutputError{Output: out, Reason: "FAILED must not carry Result"}
	case env.Status == protocol.InvocationPending && (env.Result != nil || env.Error != nil):
		return nil, &OutputError{Output: out, Reason: "PENDING must carry neither Result nor Error"}
	case env.Status != protocol.InvocationSucceeded && env.Status != protocol.InvocationFailed && env.Status != protocol.InvocationPending:
		return nil, &OutputError{Output: out, Reason: fmt.Sprintf("unknown Status %q", env.Status)}
	}
	return &env, nil
}

// OutputError is the Invocation.Err of a handler whose output is not a
// valid durable output envelope.
type OutputError struct {
	Output []byte
	Reason string
}

// Error quotes the start of the invalid output and says what is wrong
// with it.
func (e *OutputError) Error() string {
	return fmt.Sprintf("durabletest: invalid output envelope %.200q: %s", e.Output, e.Reason)
}

// crashError is the ErrorObject of a crashed invocation's
// InvocationCompleted event, shaped like Lambda's.
func crashError(inv *invocation, err error) *protocol.ErrorObject {
	var pe *PanicError
	var oe *OutputError
	var ae *abandonedError
	switch {
	case errors.Is(err, ErrCrashed), errors.As(err, &pe), errors.As(err, &ae):
		return &protocol.ErrorObject{ErrorType: ErrorTypeExitError,
			ErrorMessage: fmt.Sprintf("RequestId: %s Error: Runtime exited with error: exit status 2 (%v)", inv.requestID, err)}
	case errors.As(err, &oe) && len(oe.Output) > maxResponseBytes:
		return &protocol.ErrorObject{ErrorType: errorTypeResponseSize, ErrorMessage: oe.Error()}
	case errors.As(err, &oe):
		return &protocol.ErrorObject{ErrorType: ErrorTypeInvalidOutput, ErrorMessage: oe.Error()}
	}
	return &protocol.ErrorObject{ErrorType: errorTypeName(err), ErrorMessage: err.Error()}
}
