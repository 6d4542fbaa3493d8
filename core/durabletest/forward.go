package durabletest

import "context"

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
