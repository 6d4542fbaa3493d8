package durabletest

import durable "github.com/durable-go/durable-go/core"

// LogRecord is one context-logger call of a handler, captured through
// durable.ContextWithLogObserver: emitted lines and lines dropped as
// replay (Replay true, Emitted false) alike.
type LogRecord struct {
	durable.LogRecord
	// Invocation is the 1-based invocation that made the call.
	Invocation int
}

// observer returns the log observer of invocation index of e.
func (e *Execution) observer(index int) durable.LogObserver {
	return func(r durable.LogRecord) {
		e.logMu.Lock()
		defer e.logMu.Unlock()
		e.logs = append(e.logs, cloneLog(LogRecord{LogRecord: r, Invocation: index}))
	}
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
		fields := make(map[string]any, len(r.Fields))
		for k, v := range r.Fields {
			fields[k] = v
		}
		r.Fields = fields
	}
	return r
}
