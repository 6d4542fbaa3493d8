package durable

import (
	"context"
	"fmt"
	"math"
	"time"
)

// StepSemantics says what happens to an attempt interrupted by a crash.
type StepSemantics int

const (
	// AtLeastOncePerRetry (the default) re-runs an interrupted attempt.
	AtLeastOncePerRetry StepSemantics = iota
	// AtMostOncePerRetry checkpoints the start of each attempt before the
	// body runs and never re-runs an interrupted attempt; the retry
	// strategy decides whether a new attempt follows.
	AtMostOncePerRetry
)

// StepInterruptedError is the error an at-most-once attempt fails with when
// a crash interrupted it; its ErrorType is "StepInterruptedError".
var StepInterruptedError error = stepInterrupted{}

type stepInterrupted struct{}

func (stepInterrupted) Error() string     { return "durable: step attempt was interrupted" }
func (stepInterrupted) ErrorType() string { return "StepInterruptedError" }

// StepOption configures Step.
type StepOption func(*stepConfig)

type stepConfig struct {
	retry     RetryStrategy
	semantics StepSemantics
	serdes    Serdes
}

// WithRetryStrategy sets the step's retry strategy (default DefaultRetry).
func WithRetryStrategy(s RetryStrategy) StepOption { return func(c *stepConfig) { c.retry = s } }

// WithSemantics sets at-least-once (default) or at-most-once per retry.
func WithSemantics(s StepSemantics) StepOption { return func(c *stepConfig) { c.semantics = s } }

// WithStepSerdes sets how the step's result is checkpointed (default JSON).
func WithStepSerdes(s Serdes) StepOption { return func(c *stepConfig) { c.serdes = s } }

// StepContext is what a step body receives: its attempt number and a
// logger enriched with the step's operationId, operationName and attempt.
type StepContext struct {
	ctx     context.Context
	id      string
	name    string
	attempt int
	logs    *logScope
}

// Context returns the invocation's Go context.
func (s *StepContext) Context() context.Context { return s.ctx }

// Attempt returns the 1-based number of the running attempt.
func (s *StepContext) Attempt() int { return s.attempt }

// OperationID returns the step's operation id.
func (s *StepContext) OperationID() string { return s.id }

// Name returns the step's name.
func (s *StepContext) Name() string { return s.name }

// Logger returns the step's logger. A step body runs only when the step
// really executes, so its lines print once per attempt.
func (s *StepContext) Logger() Logger { return s.logs.logger() }

// Step runs fn as a checkpointed step named name ("" for none). On replay
// a completed step returns its recorded result without running fn. A
// failed attempt is retried as the retry strategy says, across
// invocations; when retries are exhausted Step returns an *OperationError
// of kind "StepError". A panic in fn fails the attempt like an error.
func Step[T any](ctx *Context, name string, fn func(*StepContext) (T, error), opts ...StepOption) (T, error) {
	cfg := stepConfig{retry: DefaultRetry}
	if len(opts) > 0 {
		cfg = stepOptions(opts) // apart, so that cfg stays on the stack without options
	}
	o := ctx.begin(OperationTypeStep, SubTypeStep, name)
	defer o.end()
	var zero T
	attempt := 1
	if rec := o.rec; rec != nil {
		details := rec.stepDetails()
		attempt = details.Attempt + 1
		switch rec.Status {
		case StatusSucceeded:
			return decodeResult[T](ctx, cfg.serdes, details.Result)
		case StatusFailed, StatusCancelled, StatusTimedOut, StatusStopped:
			return zero, newOperationError("StepError", &o, details.Error)
		case StatusPending:
			o.suspend(details.NextAttemptTimestamp)
		case StatusReady:
			o.start(cfg.semantics)
		case StatusStarted:
			if cfg.semantics == AtMostOncePerRetry {
				return zero, o.failAttempt(cfg, StepInterruptedError, attempt)
			}
		}
	} else {
		o.start(cfg.semantics)
	}

	sc := o.stepContext(attempt)
	attemptEnd := ctx.inv.hooks.attempt(&o, attempt)
	v, err := runStepBody(fn, sc)
	attemptEnd(err)
	if err != nil {
		return zero, o.failAttempt(cfg, err, attempt)
	}
	payload, err := encode(cfg.serdes, v)
	if err != nil {
		ctx.abort(err)
	}
	u := o.update(ActionSucceed)
	u.Payload = &payload
	ctx.checkpoint(u)
	return decodeResult[T](ctx, cfg.serdes, &payload)
}

// start checkpoints the START of an attempt: synchronously for at-most-once
// steps, which must be durable before the body runs.
func (o *op) start(sem StepSemantics) {
	if sem == AtMostOncePerRetry {
		o.ctx.checkpoint(o.update(ActionStart))
		return
	}
	o.ctx.checkpointAsync(o.update(ActionStart))
}

// failAttempt asks the retry strategy about a failed attempt: it either
// checkpoints RETRY and suspends, or checkpoints FAIL and returns the
// step's error.
func (o *op) failAttempt(cfg stepConfig, err error, attempt int) error {
	eo := ErrorObjectOf(err)
	d := cfg.retry(err, attempt)
	o.ctx.inv.cfg.logging.sdkLog(areaStep).Warn("step attempt failed", "operationId", o.id, "operationName", o.name,
		"attempt", attempt, "error", err, "retry", d.ShouldRetry, "nextAttemptDelay", d.Delay)
	if d.ShouldRetry {
		u := o.update(ActionRetry)
		u.Error = &eo
		u.StepOptions = &StepOptions{NextAttemptDelaySeconds: delaySeconds(d.Delay)}
		o.ctx.checkpoint(u)
		o.suspend(o.reload().stepNextAttempt())
	}
	u := o.update(ActionFail)
	u.Error = &eo
	o.ctx.checkpoint(u)
	return newOperationError("StepError", o, &eo)
}

func stepOptions(opts []StepOption) stepConfig {
	cfg := stepConfig{retry: DefaultRetry}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// stepContext builds what the body of a STEP-type operation receives: its
// logger carries the operation's id, name and attempt.
func (o *op) stepContext(attempt int) *StepContext {
	ctx := o.ctx
	e := ctx.inv.enrichment()
	e.parentID, e.operationID, e.operationName, e.attempt = ctx.parentID, o.id, o.name, attempt
	return &StepContext{ctx: ctx.inv.goctx, id: o.id, name: o.name, attempt: attempt, logs: ctx.logs.Load().derive(ctx.inv.goctx, e, ctx)}
}

// stepDetails returns the record's step details, never nil.
func (op *Operation) stepDetails() *StepDetails {
	if op.StepDetails == nil {
		return &StepDetails{}
	}
	return op.StepDetails
}

func (op *Operation) stepNextAttempt() *Timestamp {
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
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: stack()}
		}
	}()
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
