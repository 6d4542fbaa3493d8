package durable

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// CallbackOption configures CreateCallback and WaitForCallback; WithSerdes
// is one too.
type CallbackOption interface{ applyCallback(*callbackConfig) }

// callbackOption is a CallbackOption from a function.
type callbackOption func(*callbackConfig)

func (f callbackOption) applyCallback(c *callbackConfig) { f(c) }

type callbackConfig struct {
	timeout, heartbeat time.Duration
	serdes             Serdes
	retry              RetryStrategy
}

// WithCallbackTimeout fails the callback with a Callback.Timeout error if
// it is not completed within d (default: no timeout).
func WithCallbackTimeout(d time.Duration) CallbackOption {
	return callbackOption(func(c *callbackConfig) { c.timeout = d })
}

// WithHeartbeatTimeout fails the callback with a Callback.Heartbeat error
// if the external system sends no heartbeat (or completion) within d.
func WithHeartbeatTimeout(d time.Duration) CallbackOption {
	return callbackOption(func(c *callbackConfig) { c.heartbeat = d })
}

// WithSubmitterRetry sets WaitForCallback's submitter step retry strategy.
func WithSubmitterRetry(s RetryStrategy) CallbackOption {
	return callbackOption(func(c *callbackConfig) { c.retry = s })
}

// Callback is a pending result that an external system completes with
// SendDurableExecutionCallbackSuccess or ...Failure, using ID.
type Callback[T any] struct {
	o      op
	id     string
	serdes Serdes
}

// CreateCallback starts a callback and returns its handle. Hand
// Callback.ID to the external system, then call Result.
func CreateCallback[T any](ctx *Context, name string, opts ...CallbackOption) (*Callback[T], error) {
	var cfg callbackConfig
	for _, o := range opts {
		o.applyCallback(&cfg)
	}
	o := ctx.begin(protocol.OperationTypeCallback, protocol.SubTypeCallback, name)
	if o.err != nil {
		return nil, o.err
	}
	defer o.end()
	if o.rec == nil {
		u := o.update(protocol.ActionStart)
		u.CallbackOptions = &protocol.CallbackOptions{TimeoutSeconds: seconds(cfg.timeout), HeartbeatTimeoutSeconds: seconds(cfg.heartbeat)}
		ctx.checkpoint(u)
		o.reload()
	}
	if o.rec == nil || o.rec.CallbackDetails == nil || o.rec.CallbackDetails.CallbackID == "" {
		ctx.abort(fmt.Errorf("durable: callback %s: the service returned no CallbackId", o.id))
	}
	return &Callback[T]{o: o, id: o.rec.CallbackDetails.CallbackID, serdes: cfg.serdes}, nil
}

func seconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return delaySeconds(d)
}

// ID returns the callback id to give to the external system.
func (cb *Callback[T]) ID() string { return cb.id }

// Result returns the callback's result once the external system has sent
// it, suspending the execution until then. A failure sent by the external
// system returns an *OperationError of kind "CallbackError"; a timeout one
// of kind "CallbackTimeoutError" (ErrorType Callback.Timeout or
// Callback.Heartbeat).
func (cb *Callback[T]) Result() (T, error) {
	var zero T
	if err := cb.o.ctx.checkUse(protocol.SubTypeCallback, cb.o.name, true); err != nil {
		return zero, err
	}
	rec := cb.o.ctx.inv.state.get(cb.o.id)
	if rec == nil {
		cb.o.ctx.suspend(time.Time{}, cb.o.id)
	}
	var details protocol.CallbackDetails
	if rec.CallbackDetails != nil {
		details = *rec.CallbackDetails
	}
	switch rec.Status {
	case protocol.StatusSucceeded:
		return decodeCallbackResult[T](cb.o.ctx, cb.serdes, details.Result)
	case protocol.StatusTimedOut:
		return zero, recordedFailure("CallbackTimeoutError", &cb.o, rec, details.Error)
	case protocol.StatusFailed, protocol.StatusCancelled, protocol.StatusStopped:
		return zero, recordedFailure("CallbackError", &cb.o, rec, details.Error)
	}
	cb.o.ctx.suspend(time.Time{}, cb.o.id)
	return zero, nil
}

var rawTypes = map[reflect.Type]bool{
	reflect.TypeFor[string]():          true,
	reflect.TypeFor[[]byte]():          true,
	reflect.TypeFor[json.RawMessage](): true,
}

func decodeCallbackResult[T any](ctx *Context, s Serdes, data *string) (T, error) {
	if s != nil || !rawTypes[reflect.TypeFor[T]()] {
		return decodeResult[T](ctx, s, data)
	}
	var v T
	if data != nil {
		reflect.ValueOf(&v).Elem().Set(reflect.ValueOf(*data).Convert(reflect.TypeFor[T]()))
	}
	return v, nil
}

// WaitForCallback creates a callback, runs submit in a step to hand the
// callback id to an external system, and returns the callback's result.
// Everything runs in a child context (SubType WaitForCallback). A failing
// submitter is retried like a step (WithSubmitterRetry).
func WaitForCallback[T any](ctx *Context, name string, submit func(sc *StepContext, callbackID string) error, opts ...CallbackOption) (T, error) {
	var cfg callbackConfig
	for _, o := range opts {
		o.applyCallback(&cfg)
	}
	cbName, subName := "create callback id", "submitter"
	if name != "" {
		cbName, subName = name+" "+cbName, name+" "+subName
	}
	if err := checkName(protocol.SubTypeWaitForCallback, name); err != nil {
		var zero T
		return zero, err
	}
	if len(cbName) > maxNameLength {
		var zero T
		return zero, fmt.Errorf("%w: WaitForCallback: a name of %d bytes makes its callback's, \"<name> create callback id\", longer than the %d the service stores",
			ErrInvalidArgument, len(name), maxNameLength)
	}
	return runChild(ctx, name, childConfig{subType: protocol.SubTypeWaitForCallback, serdes: cfg.serdes}, func(c *Context) (T, error) {
		cb, err := CreateCallback[T](c, cbName, opts...)
		if err != nil {
			var zero T
			return zero, err
		}
		stepOpts := []StepOption{}
		if cfg.retry != nil {
			stepOpts = append(stepOpts, WithRetryStrategy(cfg.retry))
		}
		if _, err := Step(c, subName, func(sc *StepContext) (struct{}, error) {
			return struct{}{}, submit(sc, cb.ID())
		}, stepOpts...); err != nil {
			var zero T
			return zero, err
		}
		return cb.Result()
	})
}
