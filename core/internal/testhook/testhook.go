// Package testhook carries what a local runner (package durabletest) hands
// to the durable runtime through an invocation's context: the service to use
// instead of the handler's own, an observer of every context-logger call,
// the request to replay an event as a determinism check, and the service's
// (virtual) clock. It is internal
// so that handler authors never see it.
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

type replayCheckKey struct{}

// WithReplayCheck returns a context whose durable invocations are replay
// checks (durabletest.ReplayHistory): the handler re-executes against the
// operations recorded in the event without side effects, to check that the
// current code is deterministic with respect to them. Every durable call
// must find the recorded operation of the same type, subtype and name at
// its id.
//
// Nothing new happens during a replay check: no step body runs, nothing is
// checkpointed, the service is never called, plugins are not called and the
// code's log lines are dropped as replayed. The handler stops at the first
// operation the recording does not complete (one without a record, a step
// still running or waiting for a retry, a checkpoint the code would send),
// and the invocation then returns a PENDING output. An output SUCCEEDED or
// FAILED means the handler completed on the recorded operations alone.
//
// The invocation's error is a *durable.NonDeterministicError for the first
// call that differs from the recording, or for a recorded operation the
// code no longer calls before returning; other errors (a misused Context,
// an undecodable recorded result) are returned as they are. The event must
// hold every operation (no NextMarker).
func WithReplayCheck(ctx context.Context) context.Context {
	return context.WithValue(ctx, replayCheckKey{}, true)
}

// ReplayCheck reports whether WithReplayCheck marked ctx.
func ReplayCheck(ctx context.Context) bool {
	on, _ := ctx.Value(replayCheckKey{}).(bool)
	return on
}

// Clock is the service's time as a local runner keeps it (a virtual
// clock): an invocation's runtime reads it instead of the wall clock to
// tell when a timer the service set (a wait's end, a retry's next
// attempt) is due. It must be safe for concurrent use.
type Clock interface {
	// Now returns the service's current time.
	Now() time.Time
	// At returns a channel closed once the service's time reaches t, and
	// a function that releases the channel when it is no longer awaited.
	At(t time.Time) (<-chan struct{}, func())
}

type clockKey struct{}

// WithClock returns a context whose durable invocations read time from c.
func WithClock(ctx context.Context, c Clock) context.Context {
	return context.WithValue(ctx, clockKey{}, c)
}

// ClockFrom returns the clock WithClock put in ctx, or nil.
func ClockFrom(ctx context.Context) Clock {
	c, _ := ctx.Value(clockKey{}).(Clock)
	return c
}
