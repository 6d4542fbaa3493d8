package durable

import (
	"errors"
	"fmt"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// WaitDecision is a wait strategy's answer after a condition check.
type WaitDecision struct {
	Continue bool
	Delay    time.Duration // rounded up to whole seconds, at least 1 s
}

// WaitStrategy decides, after the attempt-th check produced state, whether
// to check again and after how long. An error fails the operation.
type WaitStrategy[S any] func(state S, attempt int) (WaitDecision, error)

// WaitStrategyConfig configures ExponentialWaitStrategy. Zero fields take
// the defaults: 60 attempts, 5 s initial delay, 300 s max, backoff 1.5,
// full jitter.
type WaitStrategyConfig[S any] struct {
	// ShouldContinue reports whether the condition is still unmet.
	ShouldContinue func(state S) bool
	MaxAttempts    int
	InitialDelay   time.Duration
	MaxDelay       time.Duration
	BackoffRate    float64
	Jitter         Jitter
}

// ExponentialWaitStrategy polls with exponential backoff until
// ShouldContinue returns false. The condition being met wins over
// exhaustion; exhaustion fails the operation with ErrWaitExhausted.
func ExponentialWaitStrategy[S any](cfg WaitStrategyConfig[S]) WaitStrategy[S] {
	b := newBackoff(cfg.MaxAttempts, cfg.InitialDelay, cfg.MaxDelay, cfg.BackoffRate, cfg.Jitter, backoff{
		maxAttempts: 60, initial: 5 * time.Second, max: 300 * time.Second, rate: 1.5,
	})
	return func(state S, attempt int) (WaitDecision, error) {
		if cfg.ShouldContinue != nil && !cfg.ShouldContinue(state) {
			return WaitDecision{}, nil
		}
		if attempt >= b.maxAttempts {
			return WaitDecision{}, fmt.Errorf("%w after %d checks", ErrWaitExhausted, attempt)
		}
		return WaitDecision{Continue: true, Delay: b.delay(attempt)}, nil
	}
}

// WaitForCondition polls check, a reducer over a checkpointed state that
// starts at initial, until strategy says stop, and returns the final
// state. Each check runs like a step attempt; between checks the execution
// suspends. A check or strategy error fails the operation (*OperationError
// of kind "WaitForConditionError"), and so does a state whose serialized
// form is over the 1 MiB the service stores for an operation: that error
// matches ErrPayloadTooLarge, and the state is not checkpointed.
// WithSerdes sets how the state is checkpointed (default JSON).
func WaitForCondition[S any](ctx *Context, name string, initial S, check func(sc *StepContext, state S) (S, error), strategy WaitStrategy[S], opts ...SerdesOption) (S, error) {
	var zero S
	if strategy == nil {
		return zero, errors.Join(ErrInvalidArgument, errors.New("WaitForCondition needs a WaitStrategy"))
	}
	if check == nil {
		return zero, errors.Join(ErrInvalidArgument, errors.New("WaitForCondition needs a check function"))
	}
	var serdes Serdes
	for _, o := range opts {
		serdes = o.serdes
	}
	o := ctx.begin(protocol.OperationTypeStep, protocol.SubTypeWaitForCondition, name)
	if o.err != nil {
		return zero, o.err
	}
	defer o.end()
	state, attempt := initial, 1
	if rec := o.rec; rec != nil {
		details := stepDetails(rec)
		attempt = details.Attempt + 1
		switch rec.Status {
		case protocol.StatusSucceeded:
			return decodeResult[S](ctx, serdes, details.Result)
		case protocol.StatusFailed, protocol.StatusCancelled, protocol.StatusTimedOut, protocol.StatusStopped:
			return zero, recordedFailure("WaitForConditionError", &o, rec, details.Error)
		case protocol.StatusPending:
			o.suspend(details.NextAttemptTimestamp)
		case protocol.StatusReady:
			ctx.checkpointAsync(o.update(protocol.ActionStart))
		}
		if details.Result != nil {
			state, _ = decodeResult[S](ctx, serdes, details.Result)
		}
	} else {
		ctx.checkpointAsync(o.update(protocol.ActionStart))
	}

	goctx, attemptEnd := ctx.inv.hooks.attempt(&o, attempt)
	sc := o.stepContext(goctx, attempt)
	next, err := runStepBody(func(sc *StepContext) (S, error) { return check(sc, state) }, sc)
	attemptEnd.finish(err)
	var d WaitDecision
	if err == nil {
		d, err = decide(strategy, next, attempt)
	}
	var payload string
	if err == nil {
		var encErr error
		if payload, encErr = encode(serdes, next); encErr != nil {
			ctx.abort(encErr)
		}
		err = o.checkPayloadSize("state", payload) // a state the service would refuse fails the operation
	}
	if err != nil {
		eo := errorObjectOf(err)
		u := o.update(protocol.ActionFail)
		u.Error = &eo
		ctx.checkpoint(u)
		return zero, newOperationError("WaitForConditionError", &o, &eo)
	}
	if !d.Continue {
		u := o.update(protocol.ActionSucceed)
		u.Payload = &payload
		ctx.checkpoint(u)
		return decodeResult[S](ctx, serdes, &payload)
	}
	u := o.update(protocol.ActionRetry)
	u.Payload = &payload
	u.StepOptions = &protocol.StepOptions{NextAttemptDelaySeconds: delaySeconds(d.Delay)}
	ctx.checkpoint(u)
	o.suspend(stepNextAttempt(o.reload()))
	return zero, nil
}

// decide runs the strategy, turning a panic into an error.
func decide[S any](ws WaitStrategy[S], state S, attempt int) (d WaitDecision, err error) {
	defer panicToError(&err)
	return ws(state, attempt)
}
