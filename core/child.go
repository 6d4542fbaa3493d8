package durable

import "github.com/durable-go/durable-go/core/protocol"

// replayChildrenThreshold is the serialized size above which a child
// context's result is not checkpointed; the child re-runs on replay to
// rebuild it (protocol §8.6).
const replayChildrenThreshold = 256 * 1024

// ChildOption configures RunInChildContext; WithSerdes is one too.
type ChildOption interface{ applyChild(*childConfig) }

// childOption is a ChildOption from a function.
type childOption func(*childConfig)

func (f childOption) applyChild(c *childConfig) { f(c) }

type childConfig struct {
	serdes  Serdes
	subType string
	summary func(result string) string
}

// WithResultSummary sets the summary checkpointed instead of a result too
// large to store (over 256 KiB); by default it is empty. A summary over
// the 1 MiB the service stores fails the child with an error matching
// ErrPayloadTooLarge.
func WithResultSummary(f func(result string) string) ChildOption {
	return childOption(func(c *childConfig) { c.summary = f })
}

// RunInChildContext runs fn in a child context: its operations are grouped
// under one CONTEXT operation with their own id space. On replay a
// completed child returns its recorded result without running fn (unless
// the result was too large to checkpoint; then fn re-runs, replaying its
// operations, to rebuild it). A failure of fn is checkpointed and returned
// as an *OperationError of kind "ChildContextError".
func RunInChildContext[T any](ctx *Context, name string, fn func(*Context) (T, error), opts ...ChildOption) (T, error) {
	cfg := childConfig{subType: protocol.SubTypeRunInChildContext}
	for _, o := range opts {
		o.applyChild(&cfg)
	}
	return runChild(ctx, name, cfg, fn)
}

func runChild[T any](ctx *Context, name string, cfg childConfig, fn func(*Context) (T, error)) (T, error) {
	o := ctx.begin(protocol.OperationTypeContext, cfg.subType, name)
	var zero T
	if o.err != nil {
		return zero, o.err
	}
	defer o.end()
	replayChildren := false
	if rec := o.rec; rec != nil {
		details := rec.ContextDetails
		if details == nil {
			details = &protocol.ContextDetails{}
		}
		switch {
		case rec.Status == protocol.StatusSucceeded && !details.ReplayChildren:
			return decodeResult[T](ctx, cfg.serdes, details.Result)
		case rec.Status == protocol.StatusSucceeded:
			replayChildren = true
		case rec.Status.Terminal():
			return zero, recordedFailure("ChildContextError", &o, rec, details.Error)
		}
	} else {
		ctx.checkpointAsync(o.update(protocol.ActionStart))
	}

	goctx, fnEnd := ctx.inv.hooks.function(&o, replayChildren, false)
	child := ctx.newChild(o.id, ctx.task, false, goctx)
	if replayChildren {
		child.rerun = true
		ctx.inv.cfg.logging.sdkLog(areaChild).Debug("re-running a completed child context to rebuild its result",
			"operationId", o.id, "operationName", o.name)
	}
	v, err := runChildBody(fn, child, fnEnd)
	fnEnd.finish(err)
	if replayChildren {
		return v, err
	}
	if err != nil {
		return zero, failChild(&o, err)
	}
	payload, err := encode(cfg.serdes, v)
	if err != nil {
		ctx.abort(err)
	}
	u := o.update(protocol.ActionSucceed)
	u.ContextOptions = &protocol.ContextOptions{}
	stored := payload
	if len(payload) > replayChildrenThreshold {
		u.ContextOptions.ReplayChildren = true
		stored = ""
		if cfg.summary != nil {
			stored = cfg.summary(payload)
			if err := o.checkPayloadSize("result summary", stored); err != nil {
				return zero, failChild(&o, err) // the service would refuse it
			}
		}
	}
	u.Payload = &stored
	ctx.checkpoint(u)
	return decodeResult[T](ctx, cfg.serdes, &payload)
}

// failChild checkpoints the child's FAIL with err and returns its error.
func failChild(o *op, err error) *OperationError {
	eo := errorObjectOf(err)
	u := o.update(protocol.ActionFail)
	u.Error = &eo
	o.ctx.checkpoint(u)
	return newOperationError("ChildContextError", o, &eo)
}

func runChildBody[T any](fn func(*Context) (T, error), c *Context, end *functionCall) (v T, err error) {
	prev := c.task.cur
	c.task.cur = c
	defer func() { c.task.cur = prev }()
	defer c.finish()
	defer func() {
		if c.task.end != taskExited {
			end.interrupt(c.task.end) // the function's end, although it did not return
			return                    // suspension or abort: let Goexit continue
		}
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: stack()}
		}
	}()
	return fn(c)
}
