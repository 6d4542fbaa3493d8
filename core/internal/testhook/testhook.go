// Package testhook carries what a local runner (package durabletest) hands
// to the durable runtime through an invocation's context: the service to use
// instead of the handler's own, and an observer of every context-logger
// call. It is internal so that handler authors never see it.
package testhook

import (
	"context"
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

type serviceKey struct{}

// WithService returns a context whose durable invocations use svc instead
// of the handler's configured service.
func WithService(ctx context.Context, svc protocol.Service) context.Context {
	return context.WithValue(ctx, serviceKey{}, svc)
}

// Service returns the service WithService put in ctx, or nil.
func Service(ctx context.Context) protocol.Service {
	svc, _ := ctx.Value(serviceKey{}).(protocol.Service)
	return svc
}

// LogRecord is one call on a context logger, as seen by a LogObserver:
// every call, whether it was emitted or dropped as replay.
type LogRecord struct {
	Time    time.Time
	Level   slog.Level
	Message string
	// Fields holds enrichment, then the call's own fields (later keys
	// override earlier ones), and errorType/errorMessage for Exception.
	Fields map[string]any
	// Replay is true when the call happened while its context was replaying.
	Replay bool
	// Emitted is true when the line was passed to the LoggerInterface.
	Emitted bool
}

// LogObserver receives every context-logger call of an invocation. It must
// be safe for concurrent use.
type LogObserver func(LogRecord)

type logObserverKey struct{}

// WithLogObserver returns a context whose durable invocations report every
// context-logger call to obs.
func WithLogObserver(ctx context.Context, obs LogObserver) context.Context {
	return context.WithValue(ctx, logObserverKey{}, obs)
}

// LogObserverFrom returns the observer WithLogObserver put in ctx, or nil.
func LogObserverFrom(ctx context.Context) LogObserver {
	obs, _ := ctx.Value(logObserverKey{}).(LogObserver)
	return obs
}
