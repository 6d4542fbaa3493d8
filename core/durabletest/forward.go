package durabletest

import (
	"context"

	"github.com/durable-go/durable-go/core/internal/testhook"
)

// ServiceOf returns the in-memory Service that is running the invocation
// ctx belongs to (the context a Runner or Host passes to a handler). A
// handler that forwards the invocation to another process, such as a
// function binary under durable-local, uses it to route that process's
// checkpoint and state calls back to the service that invoked it.
func ServiceOf(ctx context.Context) (*Service, bool) {
	inv, ok := ctx.Value(invocationKey{}).(*invocation)
	if !ok {
		return nil, false
	}
	return inv.exec.svc, true
}

// ObserveLogs returns a context under which the durable invocations of a
// handler report every context-logger call to obs, as WithLogObserver does
// for a Runner's executions. It is for harnesses that run a handler outside
// a Runner or Host, such as a function binary serving the conformance
// handlers under durable-local, which prints what obs sees. Invocation is 0
// in the records, since only the caller knows which invocation ctx is. obs
// must be safe for concurrent use and must not keep Fields beyond the call
// without copying it.
func ObserveLogs(ctx context.Context, obs func(LogRecord)) context.Context {
	return testhook.WithLogObserver(ctx, func(r testhook.LogRecord) {
		obs(logRecordOf(r, 0))
	})
}
