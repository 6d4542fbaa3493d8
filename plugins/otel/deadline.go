package durableotel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"

	"github.com/durable-go/durable-go/core/protocol"
)

// Lambda stops an invocation at its deadline (the function's timeout)
// without warning. Core ends an invocation whose service calls run into
// the deadline a second before it, with a retryable error, and the plugin
// then ends its spans as usual; but user code that is still running at the
// deadline (a step waiting on a slow dependency) keeps the handler from
// returning, and the invocation span would never end nor be exported.
// The plugin therefore ends the invocation span and the running attempts'
// spans itself shortly before the deadline, records the invocation's
// metrics and flushes the providers.

// deadlineMargin is how long before the invocation's deadline the guard
// ends the invocation span: after core's own margin for service calls
// (one second), leaving time to export.
const deadlineMargin = 500 * time.Millisecond

// ErrInvocationDeadline is the error recorded on an invocation span ended
// by the deadline guard: the invocation was still running shortly before
// Lambda's deadline.
var ErrInvocationDeadline = errors.New("durableotel: the invocation was still running shortly before its deadline; Lambda stops it at the deadline")

// guardDeadline arms the guard when ctx (the invocation's) has a deadline.
func (st *invocation) guardDeadline(ctx context.Context) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return
	}
	left := time.Until(deadline)
	wait := left - deadlineMargin
	if wait < left/2 {
		wait = left / 2
	}
	st.guard = time.AfterFunc(wait, func() {
		contained(func() { st.endAttempts(ErrInvocationDeadline) })
		contained(func() {
			st.spanEnded.Do(func() {
				st.span.RecordError(ErrInvocationDeadline)
				st.span.SetStatus(codes.Error, ErrInvocationDeadline.Error())
				st.span.End()
			})
		})
		// Counted as a Lambda error is: PENDING (the service re-invokes).
		contained(func() { st.p.m.invocationEnd(context.Background(), st, string(protocol.InvocationPending)) })
		fctx, cancel := context.WithDeadline(context.Background(), deadline)
		defer cancel()
		contained(func() { st.p.flush(fctx) })
	})
}

// contained runs f and reports its panic (a span exporter's, say, called
// by a syncer when a span ends) through otel.Handle. The guard runs on a
// goroutine of its own, where no hook recovery of core's applies and a
// panic would end the process.
func contained(f func()) {
	defer func() {
		if r := recover(); r != nil {
			otel.Handle(fmt.Errorf("durableotel: panic while ending the spans of an invocation at its deadline: %v", r))
		}
	}()
	f()
}
