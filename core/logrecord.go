package durable

import (
	"context"
	"time"
)

// LogRecord is one call on a context logger, as seen by a LogObserver:
// every call, whether it was emitted or dropped as replay.
type LogRecord struct {
	Time    time.Time
	Level   Level
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

// ContextWithLogObserver returns a context whose durable invocations report
// every context-logger call to obs. Package durabletest uses it to capture
// log records per invocation.
func ContextWithLogObserver(ctx context.Context, obs LogObserver) context.Context {
	return context.WithValue(ctx, logObserverKey{}, obs)
}

func logObserverFromContext(ctx context.Context) LogObserver {
	obs, _ := ctx.Value(logObserverKey{}).(LogObserver)
	return obs
}
