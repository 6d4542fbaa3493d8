package durable

import (
	"fmt"
	"math"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// maxWait is the longest wait the service accepts (366 days).
const maxWait = 31_622_400 * time.Second

// Wait suspends the execution for d (at least one second, whole seconds;
// the service rounds up). The invocation ends while waiting and Lambda is
// not billed; the service re-invokes the function when the wait is over.
// name may be empty.
func Wait(ctx *Context, name string, d time.Duration) error {
	if d < time.Second || d > maxWait {
		return fmt.Errorf("%w: wait duration %v must be between 1s and %v", ErrInvalidArgument, d, maxWait)
	}
	o := ctx.begin(protocol.OperationTypeWait, protocol.SubTypeWait, name)
	if o.err != nil {
		return o.err
	}
	defer o.end()
	rec := o.rec
	if rec == nil {
		u := o.update(protocol.ActionStart)
		u.WaitOptions = &protocol.WaitOptions{WaitSeconds: int(math.Ceil(d.Seconds()))}
		ctx.checkpoint(u)
		rec = o.reload()
	}
	switch {
	case rec == nil:
		ctx.abort(fmt.Errorf("durable: wait %s: no record after START", o.id))
	case rec.Status == protocol.StatusSucceeded:
		return nil
	case rec.Status.Terminal():
		return newOperationError("WaitError", &o, &protocol.ErrorObject{ErrorType: "WaitCancelled", ErrorMessage: fmt.Sprintf("wait %s", rec.Status)})
	}
	var end *protocol.Timestamp
	if rec.WaitDetails != nil {
		end = rec.WaitDetails.ScheduledEndTimestamp
	}
	o.suspend(end)
	return nil
}
