package durable

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// maxResultBytes is the largest result returned inline; larger results are
// checkpointed (protocol §1.4).
const maxResultBytes = 6*1024*1024 - 50

// maxResponseBytes is Lambda's limit on a response, the output envelope as
// Invoke encodes it.
const maxResponseBytes = 6 * 1024 * 1024

// Function is a durable Lambda handler built by Handler. It implements
// aws-lambda-go's lambda.Handler, so it goes straight into lambda.Start.
type Function struct {
	cfg     *config
	plugins *plugins // nil without plugins
	run     func(c *Context, input *string) (string, error)

	err error // a misconfiguration every invocation reports

	svcOnce sync.Once
	svc     protocol.Service
	svcErr  error
}

// Handler turns fn into a durable Lambda handler:
//
//	lambda.Start(durable.Handler(processOrder))
//
// Each invocation decodes the durable event, loads the execution's
// checkpointed state, decodes the execution input into In (JSON), runs fn,
// and returns the output envelope the service expects: SUCCEEDED with fn's
// JSON result, FAILED with fn's error, or PENDING when fn suspended (a
// wait, a retry, a callback). A panic in fn fails the execution with the
// panic message.
func Handler[In, Out any](fn func(*Context, In) (Out, error), opts ...Option) *Function {
	f := &Function{cfg: newConfig(opts)}
	if len(f.cfg.plugins) > 0 {
		f.plugins, f.err = newPlugins(f.cfg.plugins)
	}
	f.run = func(c *Context, input *string) (string, error) {
		var in In
		if input != nil && strings.TrimSpace(*input) != "" {
			if err := json.Unmarshal([]byte(*input), &in); err != nil {
				return "", &inputError{fmt.Errorf("%w: %T: %w", ErrInvalidInput, in, err)}
			}
		}
		out, err := fn(c, in)
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(out)
		if err != nil {
			return "", fmt.Errorf("%w: handler result: %w", ErrSerialization, err)
		}
		return string(b), nil
	}
	return f
}

// inputError marks undecodable execution input.
type inputError struct{ err error }

func (e *inputError) Error() string     { return e.err.Error() }
func (e *inputError) Unwrap() error     { return e.err }
func (e *inputError) ErrorType() string { return "InvalidInputError" }

// Invoke handles one Lambda invocation (lambda.Handler).
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := f.Handle(ctx, payload)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// Handle is Invoke with a typed output envelope. It returns an error only
// for problems the service should answer with a re-invocation (a retryable
// checkpoint failure) or that make the payload unusable (a malformed
// event); everything else is a FAILED envelope.
func (f *Function) Handle(ctx context.Context, payload []byte) (*protocol.InvocationOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	ev, err := protocol.DecodeEvent(payload)
	if err != nil {
		return nil, err
	}
	return f.HandleEvent(ctx, ev)
}

// HandleEvent handles an already decoded invocation event, for callers
// that decode the Lambda payload themselves. The event must not be
// modified while or after it is handled: the invocation's state refers to
// its operation records.
func (f *Function) HandleEvent(ctx context.Context, ev *protocol.InvocationEvent) (*protocol.InvocationOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	if ev == nil || ev.DurableExecutionArn == "" || ev.CheckpointToken == "" {
		return nil, fmt.Errorf("%w: an event needs a DurableExecutionArn and a CheckpointToken", protocol.ErrInvalidEvent)
	}
	if testhook.ReplayCheck(ctx) {
		return f.replay(ctx, ev)
	}
	svc, err := f.service(ctx)
	if err != nil {
		return nil, err
	}
	inv, input, err := f.start(ctx, svc, ev)
	if err != nil {
		return nil, err
	}
	first := !inv.state.hasOperationsBesides(inv.execID)
	inv.hooks.invocationStart(first, ev.UpdatedOperationIDs)
	out, err := inv.execute(f.run, input, !first)
	inv.hooks.invocationEnd(first, out, err)
	return out, err
}

// executionID is the EXECUTION operation's id: the ARN's last segment.
func executionID(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

func (f *Function) service(ctx context.Context) (protocol.Service, error) {
	if svc := testhook.Service(ctx); svc != nil {
		return svc, nil
	}
	if f.cfg.service != nil {
		return f.cfg.service, nil
	}
	f.svcOnce.Do(func() { f.svc, f.svcErr = newDefaultLambdaService(ctx) })
	return f.svc, f.svcErr
}

// start loads the state and finds the execution input.
func (f *Function) start(ctx context.Context, svc protocol.Service, ev *protocol.InvocationEvent) (*invocation, *string, error) {
	inv := &invocation{
		goctx: ctx, cfg: f.cfg, arn: ev.DurableExecutionArn, execID: executionID(ev.DurableExecutionArn),
		state: newExecutionState(), observer: testhook.LogObserverFrom(ctx), clock: testhook.ClockFrom(ctx),
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		inv.requestID, inv.tenantID = lc.AwsRequestID, lc.TenantID
	}
	if err := pageState(ctx, svc, inv.arn, ev.CheckpointToken, ev.InitialExecutionState, inv.state.mergeInitial); err != nil {
		return nil, nil, err
	}
	exec := inv.state.get(inv.execID)
	if exec == nil || exec.Type != protocol.OperationTypeExecution {
		return nil, nil, fmt.Errorf("%w: no EXECUTION operation with id %q in the execution state", protocol.ErrInvalidEvent, inv.execID)
	}
	inv.hooks = newHooks(f.plugins, inv)
	inv.cp = newCheckpointer(ctx, inv.hooks.observe(svc), inv.arn, ev.CheckpointToken, inv.state, f.cfg.logging.sdkLog(areaCheckpoint), f.cfg.checkpointDelay())
	if inv.hooks != nil {
		inv.cp.onMerge, inv.cp.onRepeat = inv.hooks.merged, inv.hooks.repeated
	}
	var input *string
	if exec.ExecutionDetails != nil {
		input = exec.ExecutionDetails.InputPayload
	}
	return inv, input, nil
}

// execute runs the handler on its own goroutine and turns its end into
// the output envelope. replaying says whether the state holds operations besides the EXECUTION
// one: the root context then starts in replay.
func (inv *invocation) execute(run func(*Context, *string) (string, error), input *string, replaying bool) (*protocol.InvocationOutput, error) {
	defer inv.cp.close()
	root := &Context{inv: inv}
	root.replaying.Store(replaying)
	log := inv.cfg.logging.sdkLog(areaExecution)
	log.Debug("invocation started", "executionArn", inv.arn, "requestId", inv.requestID, "replaying", root.replaying.Load())
	root.logs.Store(newLogScope(inv.rootContext(), &inv.cfg.logging, inv.cfg.logging.baseLogger(), inv.enrichment(), (*logGate)(root), inv.observer))

	var result string
	var runErr error
	t := inv.startTask(func(t *task) {
		root.task, t.cur = t, root
		defer root.finish()
		result, runErr = run(root, input)
	}, nil)
	<-t.done

	// Nothing returns to Lambda while updates are queued: the outcomes
	// queued before a failure, a panic or a suspension are sent too.
	if err := inv.cp.flush(); err != nil {
		inv.setFatal(err)
	}
	if err := inv.fatalErr(); err != nil {
		if inv.check == nil { // a replay check reports its error itself
			log.Warn("invocation failed", "executionArn", inv.arn, "retryable", isRetryableServiceError(err), "error", err)
		}
		if isRetryableServiceError(err) {
			return nil, err
		}
		return failed(err), nil
	}
	switch t.end {
	case taskSuspended:
		log.Debug("invocation suspended", "executionArn", inv.arn)
		return &protocol.InvocationOutput{Status: protocol.InvocationPending}, nil
	case taskPanicked:
		return failed(&PanicError{Value: t.panic, Stack: t.stack}), nil
	case taskExited:
		return failed(fmt.Errorf("durable: the handler goroutine exited through runtime.Goexit without a durable suspension")), nil
	}
	if runErr != nil {
		return inv.complete(failed(runErr))
	}
	return inv.complete(&protocol.InvocationOutput{Status: protocol.InvocationSucceeded, Result: &result})
}

func failed(err error) *protocol.InvocationOutput {
	eo := errorObjectOf(err)
	return &protocol.InvocationOutput{Status: protocol.InvocationFailed, Error: &eo}
}

// fitsResponse reports whether out, encoded as Invoke encodes it, fits
// Lambda's response limit. The envelope holds the result as a JSON string,
// where escaping ('"', '\\', '<' ...) can make each byte of it up to six:
// a result under maxResultBytes may still not fit, and is checkpointed.
func fitsResponse(out *protocol.InvocationOutput) bool {
	if out.Result == nil || 6*len(*out.Result) <= maxResultBytes {
		return true // the common case: no encoding needed to know
	}
	b, err := json.Marshal(out)
	return err == nil && len(b) <= maxResponseBytes
}

// complete returns a terminal envelope, checkpointing results too large
// for the Lambda response (protocol §1.4); a result over the 6 MB the
// service stores fails the execution with a *payloadSizeError.
func (inv *invocation) complete(out *protocol.InvocationOutput) (*protocol.InvocationOutput, error) {
	size := 0
	if out.Result != nil {
		size = len(*out.Result)
	}
	if out.Error != nil {
		b, _ := json.Marshal(out.Error)
		size = len(b)
	}
	if size <= maxResultBytes && fitsResponse(out) {
		return out, nil
	}
	u := protocol.OperationUpdate{
		ID:   "execution-result-" + strconv.FormatInt(time.Now().UnixMilli(), 10),
		Type: protocol.OperationTypeExecution,
	}
	if out.Status == protocol.InvocationSucceeded {
		if n := len(*out.Result); n > maxExecutionPayloadBytes { // the service would refuse it
			return failed(&payloadSizeError{call: "handler", what: "result", size: n, limit: maxExecutionPayloadBytes}), nil
		}
		u.Action, u.Payload = protocol.ActionSucceed, out.Result
	} else {
		u.Action, u.Error = protocol.ActionFail, out.Error
	}
	if err := inv.cp.enqueue(&u); err != nil {
		return nil, err
	}
	if err := inv.cp.flush(); err != nil {
		if isRetryableServiceError(err) {
			return nil, err
		}
		return failed(err), nil
	}
	empty := ""
	if out.Status == protocol.InvocationSucceeded {
		return &protocol.InvocationOutput{Status: protocol.InvocationSucceeded, Result: &empty}, nil
	}
	return &protocol.InvocationOutput{Status: protocol.InvocationFailed}, nil
}
