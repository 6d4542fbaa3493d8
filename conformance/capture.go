package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// logCapture collects the log records of one run in the order they happen:
// the SDK's context-logger lines (seen through durabletest.WithLogObserver) and
// the JSON lines handlers write to Env.Stdout share one sequence, which is
// the records' ordering key.
type logCapture struct {
	mu      sync.Mutex
	records []LogRecord
	partial []byte
}

// Write collects complete lines; each one that is a JSON object becomes a
// record. It never fails.
func (c *logCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.partial = append(c.partial, p...)
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		c.addLine(c.partial[:i])
		c.partial = c.partial[i+1:]
	}
	return len(p), nil
}

// addLine must be called with mu held.
func (c *logCapture) addLine(line []byte) {
	v, err := ParseJSON(bytes.TrimSpace(line))
	if m, ok := v.(*Map); ok && err == nil {
		c.add(m)
	}
}

func (c *logCapture) add(fields *Map) {
	c.records = append(c.records, LogRecord{Fields: fields, Order: int64(len(c.records))})
}

// observe records a context-logger line that was emitted; lines dropped as
// replay never reached the log stream.
func (c *logCapture) observe(r durabletest.LogRecord) {
	if !r.Emitted {
		return
	}
	fields := NewMap()
	fields.Set("timestamp", r.Time.UTC().Format(time.RFC3339Nano))
	fields.Set("level", logsink.LambdaLevelName(r.Level))
	fields.Set("message", r.Message)
	keys := make([]string, 0, len(r.Fields))
	for k := range r.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "timestamp" && k != "level" && k != "message" {
			fields.Set(k, jsonValue(r.Fields[k]))
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.add(fields)
}

// forExecution returns the records that carry arn at top level as
// durableExecutionArn or executionArn, as the reference runner's log
// filter does.
func (c *logCapture) forExecution(arn string) []LogRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.partial) > 0 { // a last line without newline
		c.addLine(c.partial)
		c.partial = nil
	}
	var out []LogRecord
	for _, r := range c.records {
		for _, key := range []string{"durableExecutionArn", "executionArn"} {
			if v, ok := r.Fields.Get(key); ok && v == any(arn) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// jsonValue turns a log field into the value a JSON log line would carry.
func jsonValue(v any) any {
	switch x := v.(type) {
	case error:
		return x.Error()
	case slog.Value:
		return slogValue(x)
	case slog.Attr:
		return slogValue(x.Value)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	out, err := ParseJSON(b)
	if err != nil {
		return string(b)
	}
	return out
}

func slogValue(v slog.Value) any {
	v = v.Resolve()
	if v.Kind() != slog.KindGroup {
		return jsonValue(v.Any())
	}
	m := NewMap()
	for _, a := range v.Group() {
		m.Set(a.Key, slogValue(a.Value))
	}
	return m
}
