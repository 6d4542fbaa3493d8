package durable

import (
	"fmt"

	"github.com/durable-go/durable-go/core/protocol"
)

// InvokeOption configures Invoke; WithSerdes is one too.
type InvokeOption interface{ applyInvoke(*invokeConfig) }

// invokeOption is a InvokeOption from a function.
type invokeOption func(*invokeConfig)

func (f invokeOption) applyInvoke(c *invokeConfig) { f(c) }

type invokeConfig struct {
	tenantID            string
	payload, resultSerd Serdes
}

// WithTenantID invokes the target for a tenant (Lambda tenant isolation).
func WithTenantID(id string) InvokeOption {
	return invokeOption(func(c *invokeConfig) { c.tenantID = id })
}

// WithPayloadSerdes sets how the input is serialized (default JSON).
func WithPayloadSerdes(s Serdes) InvokeOption {
	return invokeOption(func(c *invokeConfig) { c.payload = s })
}

// Invoke calls another Lambda function (by name or ARN; durable functions
// need a qualified name such as "orders:$LATEST") with input and returns
// its result. The execution suspends until the target finishes; on replay
// the recorded result is returned. A failed, timed-out or stopped target
// returns an *OperationError of kind "InvokeError". An input that does
// not serialize fails the execution, like any serialization failure; an
// input whose serialized form is over the 1 MiB the service stores for an
// operation is refused before anything is checkpointed: Invoke returns an
// error matching ErrPayloadTooLarge that names the call, the size and the
// limit.
func Invoke[Out any](ctx *Context, name, functionName string, input any, opts ...InvokeOption) (Out, error) {
	var cfg invokeConfig
	for _, o := range opts {
		o.applyInvoke(&cfg)
	}
	var zero Out
	if functionName == "" {
		return zero, fmt.Errorf("%w: %s: no function name to invoke", ErrInvalidArgument, describeCall(protocol.SubTypeChainedInvoke, name))
	}
	o := ctx.begin(protocol.OperationTypeChainedInvoke, protocol.SubTypeChainedInvoke, name)
	if o.err != nil {
		return zero, o.err
	}
	defer o.end()
	if o.rec == nil {
		payload, err := encode(cfg.payload, input)
		if err != nil {
			ctx.abort(err) // a serialization failure fails the execution (protocol §8.8)
		}
		payload = ctx.inv.hooks.invokePayload(&o, payload)
		if err := o.checkPayloadSize("input", payload); err != nil {
			ctx.inv.hooks.refused(&o, err)
			return zero, err // nothing checkpointed: a replay refuses it again
		}
		u := o.update(protocol.ActionStart)
		u.Payload = &payload
		u.ChainedInvokeOptions = &protocol.ChainedInvokeOptions{FunctionName: functionName, TenantID: cfg.tenantID}
		ctx.checkpoint(u)
		o.reload()
	}
	rec := o.rec
	var details protocol.ChainedInvokeDetails
	if rec != nil && rec.ChainedInvokeDetails != nil {
		details = *rec.ChainedInvokeDetails
	}
	switch {
	case rec == nil:
	case rec.Status == protocol.StatusSucceeded:
		return decodeResult[Out](ctx, cfg.resultSerd, details.Result)
	case rec.Status.Terminal():
		return zero, recordedFailure("InvokeError", &o, rec, details.Error)
	}
	o.suspend(nil)
	return zero, nil
}
