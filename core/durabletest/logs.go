package durabletest

import (
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/internal/testhook"
)

// LogRecord is one context-logger call of a handler: emitted lines, lines
// dropped as replay (Replay true, Emitted false) and calls below the
// logger's level (Replay false, Emitted false) alike.
type LogRecord struct {
	// Time is when the call happened on the wall clock, as the logger
	// stamps the line, not the runner's virtual clock: compare it with
	// other records, not with Execution.Clock or history timestamps.
	Time    time.Time
	Level   slog.Level
	Message string
	// Fields holds enrichment, then the call's own fields (later keys
	// override earlier ones), and errorType/errorMessage for Exception.
	Fields map[string]any
	// Replay is true when the call happened while its context was replaying.
	Replay bool
	// Emitted is true when the line was passed to the LoggerInterface; a
	// call below the logger's level is not, nor a replayed one unless the
	// replay mode emits replayed lines (ReplayDebug).
	Emitted bool
	// Invocation is the 1-based invocation that made the call.
	Invocation int
}

// WithLogObserver makes the runner report every context-logger call of
// every execution to obs as it happens, besides keeping it for
// Execution.Logs: for harnesses that interleave log lines with other
// output. obs must be safe for concurrent use and must not keep Fields
// beyond the call without copying it.
func WithLogObserver(obs func(LogRecord)) Option {
	return func(c *config) { c.logObserver = obs }
}

// observer returns the log observer of invocation index of e.
func (e *Execution) observer(index int) testhook.LogObserver {
	var forward func(LogRecord)
	if e.svc != nil {
		forward = e.svc.cfg.logObserver
	}
	return func(r testhook.LogRecord) {
		rec := logRecordOf(r, index)
		if forward != nil {
			forward(rec)
		}
		e.logMu.Lock()
		defer e.logMu.Unlock()
		e.logs = append(e.logs, cloneLog(rec))
	}
}

// logRecordOf converts the runtime's record of a call in invocation index.
func logRecordOf(r testhook.LogRecord, index int) LogRecord {
	return LogRecord{Time: r.Time, Level: r.Level, Message: r.Message, Fields: r.Fields, Replay: r.Replay, Emitted: r.Emitted, Invocation: index}
}

// Logs returns every context-logger call of every invocation, in call
// order, including calls dropped because they happened during replay.
func (e *Execution) Logs() []LogRecord {
	return e.filterLogs(func(LogRecord) bool { return true })
}

// EmittedLogs returns the context-logger calls that reached the logger:
// what the function would have printed.
func (e *Execution) EmittedLogs() []LogRecord {
	return e.filterLogs(func(r LogRecord) bool { return r.Emitted })
}

func (e *Execution) filterLogs(keep func(LogRecord) bool) []LogRecord {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	out := []LogRecord{}
	for _, r := range e.logs {
		if keep(r) {
			out = append(out, cloneLog(r))
		}
	}
	return out
}

func cloneLog(r LogRecord) LogRecord {
	if r.Fields != nil {
		r.Fields = cloneFields(r.Fields)
	}
	return r
}

// cloneFields copies fields and the groups nested in them (a group is a
// map[string]any); other values are the handler's own and are shared.
func cloneFields(fields map[string]any) map[string]any {
	c := make(map[string]any, len(fields))
	for k, v := range fields {
		if g, ok := v.(map[string]any); ok {
			v = cloneFields(g)
		}
		c[k] = v
	}
	return c
}
