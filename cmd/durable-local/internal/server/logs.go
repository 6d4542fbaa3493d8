package server

import (
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// LogLine is one line a function process wrote while it handled an
// invocation of an execution.
type LogLine struct {
	Arn       string
	RequestID string // the invocation's request id (InvocationCompleted's RequestId)
	Stream    string // "output": a function's stdout and stderr, one stream as in Lambda
	Time      time.Time
	Text      string
	// Fields holds the line's top-level keys when it is a JSON object
	// (level, message, executionArn, operationId, attempt, ...).
	Fields map[string]any
}

// Message returns the line's "message" (or "msg") field, else its text.
func (l LogLine) Message() string {
	for _, k := range []string{"message", "msg"} {
		if s, ok := l.Fields[k].(string); ok {
			return s
		}
	}
	return l.Text
}

// Logs keeps the lines function processes printed, by execution.
type Logs struct {
	mu     sync.Mutex
	byArn  map[string][]LogLine
	notify func(arn string)
	subs   map[int]func(arn string)
	nextID int
}

// NewLogs returns an empty log store; notify, if set, is called after
// each added line.
func NewLogs(notify func(arn string)) *Logs {
	return &Logs{byArn: map[string][]LogLine{}, notify: notify, subs: map[int]func(string){}}
}

// Subscribe calls fn with the execution ARN of every line added from now
// on; the returned function cancels the subscription.
func (l *Logs) Subscribe(fn func(arn string)) (cancel func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.nextID
	l.nextID++
	l.subs[id] = fn
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.subs, id)
	}
}

// Add records a line printed now during the invocation requestID of arn.
func (l *Logs) Add(arn, requestID, stream, text string) LogLine {
	return l.AddAt(arn, requestID, stream, text, time.Now().UTC())
}

// AddAt records a line printed at a given time (a line read back from
// storage).
func (l *Logs) AddAt(arn, requestID, stream, text string, at time.Time) LogLine {
	line := LogLine{Arn: arn, RequestID: requestID, Stream: stream, Time: at, Text: text}
	if strings.HasPrefix(strings.TrimSpace(text), "{") {
		var fields map[string]any
		if json.Unmarshal([]byte(text), &fields) == nil {
			line.Fields = fields
		}
	}
	l.mu.Lock()
	l.byArn[arn] = append(l.byArn[arn], line)
	subs := make([]func(string), 0, len(l.subs)+1)
	for _, fn := range l.subs {
		subs = append(subs, fn)
	}
	l.mu.Unlock()
	if l.notify != nil {
		subs = append(subs, l.notify)
	}
	for _, fn := range subs {
		fn(arn)
	}
	return line
}

// Lines returns the lines of execution arn in the order they were printed.
func (l *Logs) Lines(arn string) []LogLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]LogLine(nil), l.byArn[arn]...)
}
