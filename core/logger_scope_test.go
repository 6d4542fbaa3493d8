package durable

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"testing"
)

var stepEnrichment = enrichment{
	executionArn: "arn:aws:lambda:us-east-1:1:function:f:$LATEST/durable-execution/e/i",
	requestID:    "req-1", tenantID: "tenant-1", parentID: "p-1",
	operationID: "op-1", operationName: "reserve", attempt: 2,
}

func TestEnrichmentFieldNames(t *testing.T) {
	tests := []struct {
		name  string
		names FieldNames
		e     enrichment
		want  map[string]any
	}{
		{"camel step", CamelCase, stepEnrichment, map[string]any{
			"executionArn": stepEnrichment.executionArn, "requestId": "req-1", "tenantId": "tenant-1",
			"parentId": "p-1", "operationId": "op-1", "operationName": "reserve", "attempt": float64(2)}},
		{"snake step", SnakeCase, stepEnrichment, map[string]any{
			"execution_arn": stepEnrichment.executionArn, "request_id": "req-1", "tenant_id": "tenant-1",
			"parent_id": "p-1", "operation_id": "op-1", "name": "reserve", "attempt": float64(2)}},
		{"root omits empty fields", CamelCase, enrichment{executionArn: "arn", requestID: "req-1"},
			map[string]any{"executionArn": "arn", "requestId": "req-1"}},
		{"nothing to add", CamelCase, enrichment{}, map[string]any{}},
	}
	for _, tt := range tests {
		for sinkName, wrap := range map[string]func(LoggerInterface) LoggerInterface{
			"binder": func(l LoggerInterface) LoggerInterface { return l },
			"plain":  func(l LoggerInterface) LoggerInterface { return plainSink{l} },
		} {
			t.Run(tt.name+"/"+sinkName, func(t *testing.T) {
				sink, buf := jsonSink()
				cfg := newTestConfig(testEnv(slog.LevelInfo), WithFieldNames(tt.names))
				newLogScope(context.Background(), cfg, wrap(sink), tt.e, nil, nil).logger().Info("m")
				line := wantOneLine(t, buf)
				delete(line, "level")
				delete(line, "message")
				if !reflect.DeepEqual(line, tt.want) {
					t.Errorf("fields = %v, want %v", line, tt.want)
				}
			})
		}
	}
}

// TestBinderAndPlainSinkAgree logs the same calls through a sink that
// binds the enrichment and one that gets it on every call.
func TestBinderAndPlainSinkAgree(t *testing.T) {
	calls := func(l Logger) {
		l.Info("kv", "k", "v", "operationName", "overridden")
		l.Warning("extra", Extra{"a": 1}, slog.String("b", "x"))
		l.LogAttrs(slog.LevelError, "attrs", slog.Int("n", 3), slog.String("attempt", "override"))
		l.Exception("exc", errors.New("boom"), "k", "v")
		l.Errorf("fmt %d", 1)
	}
	bound, boundBuf := jsonSink()
	plain, plainBuf := jsonSink()
	cfg := newTestConfig(testEnv(slog.LevelDebug))
	calls(newLogScope(context.Background(), cfg, bound, stepEnrichment, nil, nil).logger())
	calls(newLogScope(context.Background(), cfg, plainSink{plain}, stepEnrichment, nil, nil).logger())

	got, want := decodeLines(t, plainBuf), decodeLines(t, boundBuf)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plain sink lines:\n%v\nbinder sink lines:\n%v", got, want)
	}
	if want[0]["operationName"] != "overridden" || want[2]["attempt"] != "override" {
		t.Errorf("call fields did not override enrichment: %v", want)
	}
}

func TestDeriveReplacesEnrichmentAndReplaySource(t *testing.T) {
	sink, buf := jsonSink()
	cfg := newTestConfig(testEnv(slog.LevelInfo))
	parent := newLogScope(context.Background(), cfg, sink, stepEnrichment, replayingSource(true), nil)
	child := parent.derive(context.Background(), enrichment{executionArn: "arn", parentID: "child-1"}, replayingSource(false))

	parent.logger().Info("parent replaying")
	child.logger().Info("child live")
	line := wantOneLine(t, buf)
	want := map[string]any{"level": "INFO", "message": "child live", "executionArn": "arn", "parentId": "child-1"}
	if !reflect.DeepEqual(line, want) {
		t.Errorf("child line = %v, want %v (enrichment replaced, not accumulated)", line, want)
	}
	if child.base() != sink {
		t.Errorf("child base = %v, want the parent's logger", child.base())
	}
}

func TestWithBaseKeepsEnrichmentAndReplay(t *testing.T) {
	first, firstBuf := jsonSink()
	second, secondBuf := jsonSink()
	src := replayingSource(false)
	s := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), first, enrichment{executionArn: "arn"}, src, nil)
	set := s.withBase(second)

	if set.base() != second {
		t.Fatalf("base() = %v, want the logger that was set", set.base())
	}
	set.logger().Info("to second")
	src.on.Store(true)
	set.logger().Info("dropped: same replay source")
	if firstBuf.Len() != 0 {
		t.Errorf("the replaced logger still received: %s", firstBuf)
	}
	if line := wantOneLine(t, secondBuf); line["executionArn"] != "arn" {
		t.Errorf("line = %v, want the scope's enrichment", line)
	}
}

func TestNewLogScopeDefaults(t *testing.T) {
	s := newLogScope(context.Background(), nil, nil, enrichment{}, nil, nil)
	if s.base() == nil {
		t.Fatal("a scope without config or logger has no base logger")
	}
	custom := &callCounter{}
	if got := newTestConfig(testEnv(slog.LevelInfo), WithLogger(custom)).baseLogger(); got != custom {
		t.Errorf("baseLogger() = %v, want the WithLogger logger", got)
	}
	if got := newTestConfig(testEnv(slog.LevelInfo)).baseLogger(); got != defaultLogger() {
		t.Errorf("baseLogger() = %v, want the default logger", got)
	}
}

// observed collects LogRecords.
type observed struct {
	mu   sync.Mutex
	recs []logRecord
}

func (o *observed) observe(r logRecord) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.recs = append(o.recs, r)
}

func TestObserverSeesEveryCall(t *testing.T) {
	obs := &observed{}
	sink, _ := jsonSink()
	src := replayingSource(true)
	cfg := newTestConfig(testEnv(slog.LevelInfo))
	log := newLogScope(context.Background(), cfg, sink, enrichment{executionArn: "arn", operationName: "step"}, src, obs.observe).logger()

	log.Info("replayed", "k", "v")
	src.on.Store(false)
	log.Debug("below level")
	log.Info("override", "operationName", "mine", Extra{"e": 1}, slog.Group("g", slog.Int("n", 2)), "dangling")
	log.Exception("failed", errors.New("boom"))
	log.Warningf("n=%d", 5)
	log.LogAttrs(slog.LevelError, "typed", slog.Int("n", 9))

	want := []logRecord{
		{Level: slog.LevelInfo, Message: "replayed", Replay: true,
			Fields: map[string]any{"executionArn": "arn", "operationName": "step", "k": "v"}},
		{Level: slog.LevelDebug, Message: "below level",
			Fields: map[string]any{"executionArn": "arn", "operationName": "step"}},
		{Level: slog.LevelInfo, Message: "override", Emitted: true,
			Fields: map[string]any{"executionArn": "arn", "operationName": "mine", "e": 1,
				"g": map[string]any{"n": int64(2)}, "!BADKEY": "dangling"}},
		{Level: slog.LevelError, Message: "failed", Emitted: true,
			Fields: map[string]any{"executionArn": "arn", "operationName": "step",
				"errorType": "*errors.errorString", "errorMessage": "boom"}},
		{Level: slog.LevelWarn, Message: "n=5", Emitted: true,
			Fields: map[string]any{"executionArn": "arn", "operationName": "step"}},
		{Level: slog.LevelError, Message: "typed", Emitted: true,
			Fields: map[string]any{"executionArn": "arn", "operationName": "step", "n": int64(9)}},
	}
	if len(obs.recs) != len(want) {
		t.Fatalf("observer saw %d records, want %d: %+v", len(obs.recs), len(want), obs.recs)
	}
	for i, got := range obs.recs {
		if got.Time.IsZero() {
			t.Errorf("record %d has no time", i)
		}
		got.Time = want[i].Time
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("record %d =\n%+v\nwant\n%+v", i, got, want[i])
		}
	}
}

func TestObserverWithoutSink(t *testing.T) {
	// A replayed f-variant is formatted for the observer even though the
	// line is not emitted.
	obs := &observed{}
	sink := &callCounter{}
	log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), sink, enrichment{}, replayingSource(true), obs.observe).logger()
	log.Infof("n=%d", 1)
	if sink.calls != 0 || len(obs.recs) != 1 || obs.recs[0].Message != "n=1" || obs.recs[0].Emitted {
		t.Errorf("sink calls %d, records %+v; want 0 calls and one unemitted record n=1", sink.calls, obs.recs)
	}
}

// attrSink records LogAttrs calls; it is an AttrLogger but not a Binder.
type attrSink struct {
	callCounter
	attrs []slog.Attr
	level slog.Level
}

func (a *attrSink) LogAttrs(level slog.Level, msg string, attrs ...slog.Attr) {
	a.level, a.msg = level, msg
	a.attrs = append([]slog.Attr(nil), attrs...)
}

func TestLogAttrsTypedPath(t *testing.T) {
	sink := &attrSink{}
	cfg := newTestConfig(testEnv(slog.LevelDebug), WithReplayLogs(ReplayDebug))
	src := replayingSource(false)
	log := newLogScope(context.Background(), cfg, sink, enrichment{executionArn: "arn", attempt: 1}, src, nil).logger()

	log.LogAttrs(slog.LevelWarn, "typed", slog.Int("n", 1))
	want := []slog.Attr{slog.String("executionArn", "arn"), slog.Int("attempt", 1), slog.Int("n", 1)}
	if sink.calls != 0 || sink.level != slog.LevelWarn || !attrsEqual(sink.attrs, want) {
		t.Errorf("LogAttrs got level %v attrs %v (other calls %d); want %v %v", sink.level, sink.attrs, sink.calls, slog.LevelWarn, want)
	}
	src.on.Store(true)
	log.LogAttrs(slog.LevelWarn, "replayed", slog.Int("n", 1))
	want = append(want, slog.Bool("replay", true))
	if sink.level != slog.LevelDebug || !attrsEqual(sink.attrs, want) {
		t.Errorf("replayed LogAttrs got level %v attrs %v; want %v %v", sink.level, sink.attrs, slog.LevelDebug, want)
	}
}

func attrsEqual(a, b []slog.Attr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}
