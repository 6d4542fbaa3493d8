package slogadapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logtest"
)

// newJSON returns a Logger writing Lambda-shaped JSON at debug level to a
// buffer, and the buffer.
func newJSON() (*slogadapter.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slogadapter.NewHandler(slogadapter.NewLambdaHandler(&buf, slog.LevelDebug)), &buf
}

// lines decodes each line of buf as a JSON object.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// only decodes buf, which must hold exactly one line.
func only(t *testing.T, buf *bytes.Buffer) map[string]any {
	t.Helper()
	ls := lines(t, buf)
	if len(ls) != 1 {
		t.Fatalf("got %d lines, want 1: %s", len(ls), buf)
	}
	return ls[0]
}

// wantFields checks that got holds every field of want, compared after a
// JSON round trip of want.
func wantFields(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	raw, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var norm map[string]any
	if err := json.Unmarshal(raw, &norm); err != nil {
		t.Fatal(err)
	}
	for k, v := range norm {
		if fmt.Sprint(got[k]) != fmt.Sprint(v) {
			t.Errorf("field %q = %v, want %v (line %v)", k, got[k], v, got)
		}
	}
}

// TestContract runs the shared conformance suite over the Lambda-shaped
// handler.
func TestContract(t *testing.T) {
	logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
		return slogadapter.NewHandler(slogadapter.NewLambdaHandler(w, slog.LevelDebug))
	}, logtest.Plain(func(w io.Writer) durable.LoggerInterface {
		return logtest.PlainSlog(slog.New(slogadapter.NewLambdaHandler(w, slog.LevelDebug)))
	}), logtest.Source("source", func(w io.Writer) durable.LoggerInterface {
		opts := slogadapter.LambdaHandlerOptions(slog.LevelDebug)
		opts.AddSource = true
		return slogadapter.New(slog.New(slog.NewJSONHandler(w, opts)))
	}))
}

func TestLevelFiltering(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := slogadapter.NewHandler(slogadapter.NewLambdaHandler(&buf, slog.LevelWarn))
	tests := []struct {
		level slog.Level
		want  bool
	}{
		{slog.LevelDebug, false},
		{slog.LevelInfo, false},
		{slog.LevelWarn, true},
		{slog.LevelError, true},
	}
	for _, tt := range tests {
		if got := l.Enabled(tt.level); got != tt.want {
			t.Errorf("Enabled(%v) = %v, want %v", tt.level, got, tt.want)
		}
	}
	l.Debug("d")
	l.Info("i")
	l.LogAttrs(slog.LevelInfo, "i", slog.Int("n", 1))
	l.With("k", "v").Info("i")
	l.Warning("w")
	ls := lines(t, &buf)
	if len(ls) != 1 || ls[0]["message"] != "w" {
		t.Errorf("got %v, want only the warning", ls)
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []any
		want map[string]any
	}{
		{"non-string key", []any{42, "k", "v"}, map[string]any{"!BADKEY": 42, "k": "v"}},
		{"extra as a pair's value", []any{"m", durable.Extra{"a": 1}}, map[string]any{"m": map[string]any{"a": 1}}},
		{"empty extra", []any{"k", "v", durable.Extra{}}, map[string]any{"k": "v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newJSON()
			l.Info("m", tt.args...)
			wantFields(t, only(t, buf), tt.want)
		})
	}
}

// keyOrder returns the keys of the single JSON object in buf, in order.
func keyOrder(t *testing.T, buf *bytes.Buffer) []string {
	t.Helper()
	dec := json.NewDecoder(buf)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %v %v", tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestKeyOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(*slogadapter.Logger)
		want []string
	}{
		{
			name: "call order, extra sorted",
			log: func(l *slogadapter.Logger) {
				l.Info("m", "z", 1, durable.Extra{"c": 1, "a": 2, "b": 3}, "y", 4)
			},
			want: []string{"timestamp", "level", "message", "z", "a", "b", "c", "y"},
		},
		{
			name: "bound fields first",
			log:  func(l *slogadapter.Logger) { l.With("executionArn", "arn").(*slogadapter.Logger).Info("m", "k", 1) },
			want: []string{"timestamp", "level", "message", "executionArn", "k"},
		},
		{
			name: "error fields before args",
			log: func(l *slogadapter.Logger) {
				l.Exception("m", traced{}, "k", 1)
			},
			want: []string{"timestamp", "level", "message", "errorType", "errorMessage", "stackTrace", "k"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newJSON()
			tt.log(l)
			if got := keyOrder(t, buf); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("keys = %v, want %v", got, tt.want)
			}
		})
	}
}

// traced is an error carrying a stack trace.
type traced struct{}

func (traced) Error() string        { return "traced failure" }
func (traced) StackTrace() []string { return []string{"main.f", "main.main"} }

// fragile is an error whose Error method panics on a nil receiver.
type fragile struct{ msg string }

func (e *fragile) Error() string { return e.msg }

func TestException(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		want    map[string]any
		noStack bool
	}{
		{
			name:    "error without stack",
			err:     errors.New("boom"),
			want:    map[string]any{"errorType": "*errors.errorString", "errorMessage": "boom"},
			noStack: true,
		},
		{
			name: "error with stack",
			err:  traced{},
			want: map[string]any{"errorType": "slogadapter_test.traced", "errorMessage": "traced failure", "stackTrace": []string{"main.f", "main.main"}},
		},
		{
			name: "wrapped error with stack",
			err:  fmt.Errorf("step: %w", traced{}),
			want: map[string]any{"errorType": "slogadapter_test.traced", "errorMessage": "step: traced failure", "stackTrace": []string{"main.f", "main.main"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newJSON()
			l.Exception("failed", tt.err, "k", "v")
			got := only(t, buf)
			tt.want["level"], tt.want["message"], tt.want["k"] = "ERROR", "failed", "v"
			wantFields(t, got, tt.want)
			if _, ok := got["stackTrace"]; ok && tt.noStack {
				t.Errorf("unexpected stackTrace in %v", got)
			}
		})
	}
	t.Run("typed nil pointer error", func(t *testing.T) {
		t.Parallel()
		l, buf := newJSON()
		var e *fragile
		l.Exception("failed", e)
		wantFields(t, only(t, buf), map[string]any{"errorType": "*slogadapter_test.fragile", "errorMessage": "<nil>"})
	})
}

func TestWith(t *testing.T) {
	t.Parallel()
	t.Run("no args returns the same logger", func(t *testing.T) {
		t.Parallel()
		l, _ := newJSON()
		if got := l.With(); got != l {
			t.Errorf("With() = %p, want %p", got, l)
		}
	})
	t.Run("handler carries the bound fields", func(t *testing.T) {
		t.Parallel()
		l, buf := newJSON()
		l.With("k", "v").(*slogadapter.Logger).Slog().Info("native")
		wantFields(t, only(t, buf), map[string]any{"k": "v", "message": "native"})
	})
	t.Run("extra bound in sorted order", func(t *testing.T) {
		t.Parallel()
		l, buf := newJSON()
		l.With(durable.Extra{"c": 1, "a": 2, "b": 3}).Info("m")
		if got := keyOrder(t, buf); strings.Join(got, ",") != "timestamp,level,message,a,b,c" {
			t.Errorf("keys = %v", got)
		}
	})
}

// recorder is a slog.Handler that keeps every record, as handlers that
// buffer or batch do.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec)
	return nil
}

// attrsOf returns rec's attributes as key=value strings.
func attrsOf(rec slog.Record) []string {
	var out []string
	rec.Attrs(func(a slog.Attr) bool {
		out = append(out, a.String())
		return true
	})
	return out
}

// TestRetainedRecords checks that a record a handler keeps is not changed
// by later calls: the adapter reuses its argument buffers between calls.
func TestRetainedRecords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *slogadapter.Logger, n int)
	}{
		{"args", func(l *slogadapter.Logger, n int) { l.Info("m", "n", n, "s", fmt.Sprint(n)) }},
		{"exception", func(l *slogadapter.Logger, n int) { l.Exception("m", nil, "n", n, "s", fmt.Sprint(n)) }},
		{"attrs", func(l *slogadapter.Logger, n int) {
			l.LogAttrs(slog.LevelInfo, "m", slog.Int("n", n), slog.String("s", fmt.Sprint(n)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var rec recorder
			l := slogadapter.NewHandler(&rec)
			for n := range 3 {
				tt.log(l, n)
			}
			if len(rec.records) != 3 {
				t.Fatalf("got %d records, want 3", len(rec.records))
			}
			for n, r := range rec.records {
				want := fmt.Sprintf("[n=%d s=%d]", n, n)
				if got := fmt.Sprint(attrsOf(r)); got != want {
					t.Errorf("record %d attrs = %s, want %s", n, got, want)
				}
			}
		})
	}
}

// countingValuer counts how often it is resolved.
type countingValuer struct{ n *atomic.Int32 }

func (v countingValuer) LogValue() slog.Value {
	v.n.Add(1)
	return slog.StringValue("resolved")
}

func TestDroppedCallsBuildNothing(t *testing.T) {
	t.Parallel()
	var resolved atomic.Int32
	v := countingValuer{&resolved}
	var buf bytes.Buffer
	l := slogadapter.NewHandler(slogadapter.NewLambdaHandler(&buf, slog.LevelWarn))
	l.Info("dropped", "v", v)
	l.With("bound", "x").Debug("dropped", durable.Extra{"v": v})
	l.LogAttrs(slog.LevelInfo, "dropped", slog.Any("v", v))
	if resolved.Load() != 0 || buf.Len() != 0 {
		t.Errorf("dropped calls resolved %d LogValuers and wrote %q", resolved.Load(), buf.String())
	}
	l.Warning("kept", "v", v)
	if resolved.Load() != 1 {
		t.Errorf("emitted call resolved %d LogValuers, want 1", resolved.Load())
	}
}

func TestNativeAccess(t *testing.T) {
	t.Parallel()
	h := slog.NewJSONHandler(&bytes.Buffer{}, nil)
	native := slog.New(h)
	tests := []struct {
		name        string
		l           *slogadapter.Logger
		wantSlog    *slog.Logger
		wantHandler slog.Handler
	}{
		{"New", slogadapter.New(native), native, h},
		{"New nil", slogadapter.New(nil), slog.Default(), slog.Default().Handler()},
		{"NewHandler", slogadapter.NewHandler(h), nil, h},
		{"NewHandler nil", slogadapter.NewHandler(nil), nil, slog.Default().Handler()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.l.Handler(); got != tt.wantHandler {
				t.Errorf("Handler() = %v, want %v", got, tt.wantHandler)
			}
			got := tt.l.Slog()
			if tt.wantSlog != nil && got != tt.wantSlog {
				t.Errorf("Slog() = %p, want %p", got, tt.wantSlog)
			}
			if got.Handler() != tt.wantHandler {
				t.Errorf("Slog().Handler() = %v, want %v", got.Handler(), tt.wantHandler)
			}
		})
	}
}

func TestLambdaShape(t *testing.T) {
	t.Parallel()
	t.Run("built-in fields", func(t *testing.T) {
		t.Parallel()
		l, buf := newJSON()
		l.Info("hello")
		got := only(t, buf)
		for _, k := range []string{"time", "msg"} {
			if _, ok := got[k]; ok {
				t.Errorf("slog key %q still present: %v", k, got)
			}
		}
		ts, _ := got["timestamp"].(string)
		parsed, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			t.Fatalf("timestamp %q is not RFC 3339: %v", ts, err)
		}
		if !strings.HasSuffix(ts, "Z") || len(ts) != len("2006-01-02T15:04:05.000Z") {
			t.Errorf("timestamp %q is not UTC with milliseconds", ts)
		}
		if d := time.Since(parsed); d < -time.Second || d > time.Minute {
			t.Errorf("timestamp %v is not now", parsed)
		}
	})
	t.Run("level names", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			level slog.Level
			want  string
		}{
			{slog.LevelDebug - 8, "TRACE"},
			{slog.LevelDebug - 4, "DEBUG"},
			{slog.LevelDebug, "DEBUG"},
			{slog.LevelDebug + 2, "DEBUG"},
			{slog.LevelInfo, "INFO"},
			{slog.LevelInfo + 1, "INFO"},
			{slog.LevelWarn, "WARN"},
			{slog.LevelError, "ERROR"},
			{slog.LevelError + 2, "ERROR"},
			{slog.LevelError + 4, "ERROR"},
			{slog.LevelError + 8, "FATAL"},
		}
		for _, tt := range tests {
			var buf bytes.Buffer
			slog.New(slogadapter.NewLambdaHandler(&buf, slog.LevelDebug-8)).Log(t.Context(), tt.level, "m")
			if got := only(t, &buf)["level"]; got != tt.want {
				t.Errorf("level %v named %v, want %s", tt.level, got, tt.want)
			}
		}
	})
	t.Run("caller fields named like built-ins untouched", func(t *testing.T) {
		t.Parallel()
		instant := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		tests := []struct {
			name string
			log  func(*slogadapter.Logger)
		}{
			{"call", func(l *slogadapter.Logger) {
				l.Info("m", "time", instant, "msg", "mine", slog.Any("level", slog.LevelWarn+1))
			}},
			{"bound", func(l *slogadapter.Logger) {
				l.With("time", instant, "msg", "mine", slog.Any("level", slog.LevelWarn+1)).Info("m")
			}},
			{"attrs", func(l *slogadapter.Logger) {
				l.LogAttrs(slog.LevelInfo, "m", slog.Time("time", instant), slog.String("msg", "mine"), slog.Any("level", slog.LevelWarn+1))
			}},
		}
		for _, tt := range tests {
			l, buf := newJSON()
			tt.log(l)
			raw := buf.String()
			for _, want := range []string{`"time":"2026-01-02T03:04:05Z"`, `"msg":"mine"`, `"fields.level":"WARN+1"`, `"message":"m"`, `"level":"INFO"`} {
				if !strings.Contains(raw, want) {
					t.Errorf("%s: output lacks %s: %s", tt.name, want, raw)
				}
			}
		}
	})
	// A top-level attribute named like a key of the Lambda shape is
	// written under "fields.<key>", as by the other adapters' Lambda
	// helpers: two "level" keys in one object and JSON readers keep the
	// last, so Lambda would filter an ERROR line by the attribute.
	t.Run("caller fields named like the shape's keys", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			name string
			log  func(*slogadapter.Logger)
		}{
			{"call", func(l *slogadapter.Logger) { l.Error("m", "level", "debug", "timestamp", "t", "message", "mine") }},
			{"bound", func(l *slogadapter.Logger) { l.With("level", "debug", "timestamp", "t").Error("m", "message", "mine") }},
			{"native", func(l *slogadapter.Logger) {
				l.Slog().With("level", "debug", "timestamp", "t").Error("m", "message", "mine")
			}},
		}
		for _, tt := range tests {
			l, buf := newJSON()
			tt.log(l)
			for _, key := range []string{`"timestamp":`, `"level":`, `"message":`} {
				if n := strings.Count(buf.String(), key); n != 1 {
					t.Errorf("%s: %s appears %d times: %s", tt.name, key, n, buf)
				}
			}
			wantFields(t, only(t, buf), map[string]any{"level": "ERROR", "message": "m",
				"fields.level": "debug", "fields.timestamp": "t", "fields.message": "mine"})
		}
	})
	t.Run("fields in groups untouched", func(t *testing.T) {
		t.Parallel()
		l, buf := newJSON()
		l.Info("m", slog.Group("g", "time", "t", "msg", "x", "level", "l"))
		wantFields(t, only(t, buf), map[string]any{"g": map[string]any{"time": "t", "msg": "x", "level": "l"}})
	})
	t.Run("built-ins under an open group", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		slog.New(slogadapter.NewLambdaHandler(&buf, slog.LevelDebug)).WithGroup("g").Info("m", "time", "t")
		got := only(t, &buf)
		wantFields(t, got, map[string]any{"level": "INFO", "message": "m", "g": map[string]any{"time": "t"}})
		if _, ok := got["timestamp"]; !ok {
			t.Errorf("no timestamp: %v", got)
		}
	})
	t.Run("nil level means info", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		l := slogadapter.NewHandler(slogadapter.NewLambdaHandler(&buf, nil))
		if l.Enabled(slog.LevelDebug) || !l.Enabled(slog.LevelInfo) {
			t.Error("nil level does not filter at INFO")
		}
	})
}

// TestDirectCallsNameTheirCaller checks that a Logger used directly, not
// through a context logger, reports the caller of its own methods with
// AddSource, through the SlogLogger it embeds and a With child alike.
func TestDirectCallsNameTheirCaller(t *testing.T) {
	var buf bytes.Buffer
	l := slogadapter.New(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{AddSource: true})))
	l.Info("direct")
	l.With("a", 1).Warning("bound")
	l.LogAttrs(slog.LevelInfo, "attrs")
	l.Exception("failed", errors.New("boom"))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4:\n%s", len(lines), buf.String())
	}
	for _, line := range lines {
		if !strings.Contains(line, "adapter_test.go") {
			t.Errorf("source is not this file: %s", line)
		}
	}
}
