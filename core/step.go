package durable

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

type stepInterrupted struct{}

func (stepInterrupted) Error() string     { return "durable: step attempt was interrupted" }
func (stepInterrupted) ErrorType() string { return "StepInterruptedError" }

// StepOption configures Step: WithRetryStrategy, WithAtMostOncePerRetry,
// WithStepSync and WithSerdes.
type StepOption interface{ applyStep(*stepConfig) }

// stepOption is a StepOption from a function.
type stepOption func(*stepConfig)

func (f stepOption) applyStep(c *stepConfig) { f(c) }

type stepConfig struct {
	retry      RetryStrategy
	atMostOnce bool // WithAtMostOncePerRetry
	serdes     Serdes
	sync       bool // WithStepSync
}

// outcome checkpoints a step's SUCCEED or FAIL before Step returns, as the
// protocol specifies, unless the handler opened a durability window
// (WithCheckpointWindow): then at-least-once outcomes are queued, except
// for steps marked WithStepSync. A result the service would refuse (over
// 1 MB) never gets here: Step fails the attempt with ErrPayloadTooLarge.
func (o *op) outcome(cfg *stepConfig, u protocol.OperationUpdate) {
	if cfg.sync || cfg.atMostOnce || o.ctx.inv.cfg.window == 0 {
		o.ctx.checkpoint(u)
		return
	}
	o.ctx.checkpointAsync(u)
}

// WithRetryStrategy sets the step's retry strategy (default DefaultRetry,
// which a nil s also means).
func WithRetryStrategy(s RetryStrategy) StepOption {
	if s == nil {
		s = DefaultRetry
	}
	return stepOption(func(c *stepConfig) { c.retry = s })
}

// WithAtMostOncePerRetry runs each attempt of the step at most once.
// By default a step is at least once per retry: an attempt interrupted by a
// crash (the invocation timed out or died inside the body) runs again in the
// next invocation. With this option the start of each attempt is
// checkpointed before the body runs, and an interrupted attempt is never
// re-run: it fails with ErrStepInterrupted, and the retry strategy decides
// whether a new attempt follows. Use it for bodies with side effects that
// must not repeat, such as a payment without an idempotency key.
func WithAtMostOncePerRetry() StepOption {
	return stepOption(func(c *stepConfig) { c.atMostOnce = true })
}

// StepContext is what a step body receives: its attempt number and a
// logger enriched with the step's operationId, operationName and attempt.
type StepContext struct {
	ctx     context.Context
	id      string
	name    string
	attempt int
	// logs is derived from logFrom with enrich on the first Logger call:
	// most steps never log, and deriving costs.
	logs    atomic.Pointer[logScope]
	logFrom *logScope
	enrich  enrichment
	replay  replaySource
	scope   stepScope // Context's cancellation when the body returns (misuse.go)
	task    *task     // the task running the body (its stepBodies count it)
}

// Context returns the invocation's Go context, with what plugins add to it
// for this attempt (a ContextHook: e.g. its trace span), cancelled with
// cause ErrContextDone once the step body returns: work the body started
// must not outlive its step, whose result is already checkpointed.
func (s *StepContext) Context() context.Context { return s.scope.context(s) }

// Attempt returns the 1-based number of the running attempt.
func (s *StepContext) Attempt() int { return s.attempt }

// OperationID returns the step's operation id.
func (s *StepContext) OperationID() string { return s.id }

// Name returns the step's name.
func (s *StepContext) Name() string { return s.name }

// Logger returns the step's logger. A step body runs only when the step
// really executes, so its lines print once per attempt.
func (s *StepContext) Logger() Logger {
	if l := s.logs.Load(); l != nil {
		return l.logger()
	}
	s.logs.CompareAndSwap(nil, s.logFrom.derive(s.ctx, s.enrich, s.replay))
	return s.logs.Load().logger()
}

// Step runs fn as a checkpointed step named name ("" for none). On replay
// a completed step returns its recorded result without running fn. A
// failed attempt is retried as the retry strategy says, across
// invocations; when retries are exhausted Step returns an *OperationError
// of kind "StepError". A panic in fn fails the attempt like an error, and
// so does a result whose serialized form is over the 1 MiB the service
// stores for an operation: the error matches ErrPayloadTooLarge and names
// the step, the size and the limit. The retry strategy is asked as for
// any error; the strategies of this package do not retry it (the body
// succeeded: running it again would repeat its effects for a result as
// large) unless their RetryConfig names it.
func Step[T any](ctx *Context, name string, fn func(*StepContext) (T, error), opts ...StepOption) (T, error) {
	cfg := stepConfig{retry: DefaultRetry}
	if len(opts) > 0 {
		cfg = stepOptions(opts) // apart, so that cfg stays on the stack without options
	}
	o := ctx.begin(protocol.OperationTypeStep, protocol.SubTypeStep, name)
	var zero T
	if o.err != nil {
		return zero, o.err
	}
	defer o.end()
	attempt := 1
	if rec := o.rec; rec != nil {
		details := stepDetails(rec)
		attempt = details.Attempt + 1
		switch rec.Status {
		case protocol.StatusSucceeded:
			return decodeResult[T](ctx, cfg.serdes, details.Result)
		case protocol.StatusFailed, protocol.StatusCancelled, protocol.StatusTimedOut, protocol.StatusStopped:
			return zero, recordedFailure("StepError", &o, rec, details.Error)
		case protocol.StatusPending:
			o.suspend(details.NextAttemptTimestamp)
		case protocol.StatusReady:
			o.start(cfg.atMostOnce)
		case protocol.StatusStarted:
			if cfg.atMostOnce {
				return zero, o.failAttempt(cfg, ErrStepInterrupted, attempt)
			}
		}
	} else {
		o.start(cfg.atMostOnce)
	}

	goctx, attemptEnd := ctx.inv.hooks.attempt(&o, attempt)
	sc := o.stepContext(goctx, attempt)
	v, err := runStepBody(fn, sc)
	var payload string
	if err == nil {
		var encErr error
		if payload, encErr = encode(cfg.serdes, v); encErr != nil {
			attemptEnd.finish(nil)
			ctx.abort(encErr)
		}
		err = o.checkPayloadSize("result", payload) // a result the service would refuse fails the attempt
	}
	attemptEnd.finish(err)
	if err != nil {
		return zero, o.failAttempt(cfg, err, attempt)
	}
	u := o.update(protocol.ActionSucceed)
	u.Payload = &payload
	o.outcome(&cfg, u)
	return decodeResult[T](ctx, cfg.serdes, &payload)
}

// start checkpoints the START of an attempt: synchronously for at-most-once
// steps, which must be durable before the body runs.
func (o *op) start(atMostOnce bool) {
	if atMostOnce {
		o.ctx.checkpoint(o.update(protocol.ActionStart))
		return
	}
	o.ctx.checkpointAsync(o.update(protocol.ActionStart))
}

// failAttempt asks the retry strategy about a failed attempt: it either
// checkpoints RETRY and suspends, or checkpoints FAIL and returns the
// step's error.
func (o *op) failAttempt(cfg stepConfig, err error, attempt int) error {
	d, panicked := decideRetry(cfg.retry, err, attempt)
	if panicked != nil {
		err = panicked // the step fails with it, as WaitForCondition does with its strategy's
	}
	eo := errorObjectOf(err)
	log := o.ctx.inv.cfg.logging.sdkLog(areaStep)
	if d.ShouldRetry {
		delay := delaySeconds(d.Delay)
		log.Warn("step attempt failed", "operationId", o.id, "operationName", o.name,
			"attempt", attempt, "error", err, "retry", true, "nextAttemptDelaySeconds", delay)
		u := o.update(protocol.ActionRetry)
		u.Error = &eo
		u.StepOptions = &protocol.StepOptions{NextAttemptDelaySeconds: delay}
		o.ctx.checkpoint(u)
		o.suspend(stepNextAttempt(o.reload()))
	}
	log.Warn("step attempt failed", "operationId", o.id, "operationName", o.name,
		"attempt", attempt, "error", err, "retry", false)
	u := o.update(protocol.ActionFail)
	u.Error = &eo
	o.outcome(&cfg, u)
	return newOperationError("StepError", o, &eo)
}

// decideRetry runs the retry strategy, turning a panic into an error and
// a decision not to retry.
func decideRetry(s RetryStrategy, err error, attempt int) (d RetryDecision, panicked error) {
	defer panicToError(&panicked)
	return s(err, attempt), nil
}

func stepOptions(opts []StepOption) stepConfig {
	cfg := stepConfig{retry: DefaultRetry}
	for _, o := range opts {
		o.applyStep(&cfg)
	}
	return cfg
}

// stepContext builds what the body of a STEP-type operation receives: its
// logger carries the operation's id, name and attempt.
func (o *op) stepContext(goctx context.Context, attempt int) *StepContext {
	ctx := o.ctx
	e := ctx.inv.enrichment()
	e.parentID, e.operationID, e.operationName, e.attempt = ctx.parentID, o.id, o.name, attempt
	return &StepContext{ctx: goctx, id: o.id, name: o.name, attempt: attempt, logFrom: ctx.logSource(), enrich: e, replay: ctx, task: ctx.task}
}

// stepDetails returns the record's step details, never nil.
func stepDetails(op *protocol.Operation) *protocol.StepDetails {
	if op.StepDetails == nil {
		return &protocol.StepDetails{}
	}
	return op.StepDetails
}

func stepNextAttempt(op *protocol.Operation) *protocol.Timestamp {
	if op == nil || op.StepDetails == nil {
		return nil
	}
	return op.StepDetails.NextAttemptTimestamp
}

// delaySeconds rounds d up to whole seconds, at least 1.
func delaySeconds(d time.Duration) int {
	return int(math.Max(1, math.Ceil(d.Seconds())))
}

func runStepBody[T any](fn func(*StepContext) (T, error), sc *StepContext) (v T, err error) {
	sc.task.stepBodies++
	defer sc.end()
	defer panicToError(&err)
	return fn(sc)
}

// decodeResult deserializes a checkpointed result; a value that does not
// deserialize fails the execution (protocol §8.8).
func decodeResult[T any](ctx *Context, s Serdes, data *string) (T, error) {
	v, err := decode[T](s, data)
	if err != nil {
		ctx.abort(fmt.Errorf("durable: decoding a checkpointed result: %w", err))
	}
	return v, nil
}
