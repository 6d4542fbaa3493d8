package durable

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/durable-go/durable-go/core/logsink"
)

// fakeReplay is a replay source the test flips between calls.
type fakeReplay struct{ on atomic.Bool }

func (f *fakeReplay) isReplaying() bool { return f.on.Load() }

func replayingSource(on bool) *fakeReplay {
	f := &fakeReplay{}
	f.on.Store(on)
	return f
}

// testEnv is a Lambda environment at level, in JSON format.
func testEnv(level slog.Level) lambdaEnv { return lambdaEnv{level: level, levelSet: true, json: true} }

// newTestConfig builds the logging config a handler with opts would have,
// in env instead of the process environment.
func newTestConfig(env lambdaEnv, opts ...Option) *logConfig {
	c := &config{}
	c.logging.initFrom(env)
	for _, o := range opts {
		o(c)
	}
	return &c.logging
}

// jsonSink returns a Binder/AttrLogger/LevelEnabler sink writing Lambda JSON
// at debug level to the returned buffer.
func jsonSink() (LoggerInterface, *bytes.Buffer) {
	var buf bytes.Buffer
	return logsink.NewSlogLogger(newLambdaHandler(&buf, testEnv(slog.LevelDebug), nil)), &buf
}

// plainSink hides every optional extension of the logger it wraps, as a
// user's minimal LoggerInterface would.
type plainSink struct{ LoggerInterface }

// decodeLines parses JSON lines, keeping the last of duplicate keys as
// JSON readers do.
func decodeLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, s := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if s == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("output line is not JSON (%v): %s", err, s)
		}
		delete(m, "timestamp")
		lines = append(lines, m)
	}
	return lines
}

func wantOneLine(t *testing.T, buf *bytes.Buffer) map[string]any {
	t.Helper()
	lines := decodeLines(t, buf)
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1:\n%s", len(lines), buf)
	}
	return lines[0]
}

func TestReplayModes(t *testing.T) {
	tests := []struct {
		name      string
		mode      ReplayMode
		env       slog.Level
		replaying bool
		wantLevel string // "" for no line
		wantFlag  bool   // replay=true on the line
	}{
		{"drop live", ReplayDrop, slog.LevelInfo, false, "INFO", false},
		{"drop replaying", ReplayDrop, slog.LevelInfo, true, "", false},
		{"debug live", ReplayDebug, slog.LevelDebug, false, "INFO", false},
		{"debug replaying", ReplayDebug, slog.LevelDebug, true, "DEBUG", true},
		{"debug replaying below ALC level", ReplayDebug, slog.LevelInfo, true, "", false},
		{"keep live", ReplayKeep, slog.LevelInfo, false, "INFO", false},
		{"keep replaying", ReplayKeep, slog.LevelInfo, true, "INFO", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink, buf := jsonSink()
			cfg := newTestConfig(testEnv(tt.env), WithReplayLogs(tt.mode))
			log := newLogScope(context.Background(), cfg, sink, enrichment{}, replayingSource(tt.replaying), nil).logger()
			log.Info("hello", "k", "v")
			if tt.wantLevel == "" {
				if buf.Len() != 0 {
					t.Fatalf("line emitted, want it dropped: %s", buf)
				}
				return
			}
			line := wantOneLine(t, buf)
			if line["level"] != tt.wantLevel || line["message"] != "hello" || line["k"] != "v" {
				t.Errorf("line = %v, want level %s, message hello, k=v", line, tt.wantLevel)
			}
			if flag, _ := line["replay"].(bool); flag != tt.wantFlag {
				t.Errorf("replay field = %v, want %v", line["replay"], tt.wantFlag)
			}
		})
	}
}

// The replay flag is core's marker, like the enrichment: it stays at the
// top level of a line logged through WithGroup (and the slog view's), where
// a query for replay=true finds it.
func TestReplayDebugFlagIsTopLevelInGroups(t *testing.T) {
	sink, buf := jsonSink()
	cfg := newTestConfig(testEnv(slog.LevelDebug), WithReplayLogs(ReplayDebug))
	log := newLogScope(context.Background(), cfg, sink, enrichment{}, replayingSource(true), nil).logger()
	log.WithGroup("req").Info("grouped", "k", "v")
	log.Slog().WithGroup("req").Info("slog grouped", "k", "v")
	for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var line map[string]any
		if err := json.Unmarshal([]byte(raw), &line); err != nil {
			t.Fatalf("%v: %s", err, raw)
		}
		req, _ := line["req"].(map[string]any)
		if line["replay"] != true || req["k"] != "v" || req["replay"] != nil {
			t.Errorf("line = %s, want replay=true at the top level and k under req", raw)
		}
	}
}

func TestReplayCheckedAtCallTime(t *testing.T) {
	sink, buf := jsonSink()
	src := replayingSource(true)
	log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), sink, enrichment{}, src, nil).logger()

	log.Info("while replaying")
	if log.Enabled(slog.LevelInfo) {
		t.Error("Enabled(info) = true while replaying")
	}
	src.on.Store(false)
	log.Info("live")
	if !log.Enabled(slog.LevelInfo) {
		t.Error("Enabled(info) = false once live")
	}
	src.on.Store(true)
	log.Info("replaying again")

	lines := decodeLines(t, buf)
	if len(lines) != 1 || lines[0]["message"] != "live" {
		t.Errorf("lines = %v, want only the line logged while live", lines)
	}
}

func TestNilReplaySourceIsLive(t *testing.T) {
	sink, buf := jsonSink()
	newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), sink, enrichment{}, nil, nil).logger().Info("live")
	wantOneLine(t, buf)
}

func TestZeroLoggerDiscards(t *testing.T) {
	var log Logger
	log.Info("x", "k", 1)
	log.Exception("x", errors.New("e"))
	log.Errorf("x %d", 1)
	log.LogAttrs(slog.LevelError, "x", slog.Int("k", 1))
	if log.Enabled(slog.LevelError) {
		t.Error("zero Logger Enabled(error) = true, want false")
	}
}

// callCounter is a LoggerInterface that counts the calls reaching it and
// records the last one; it implements no optional extension.
type callCounter struct {
	mu     sync.Mutex
	calls  int
	method string
	msg    string
	args   []any
}

func (c *callCounter) record(method, msg string, args []any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.method, c.msg = method, msg
	c.args = append([]any(nil), args...) // the buffer is reused after return
}

func (c *callCounter) Debug(msg string, args ...any)   { c.record("Debug", msg, args) }
func (c *callCounter) Info(msg string, args ...any)    { c.record("Info", msg, args) }
func (c *callCounter) Warning(msg string, args ...any) { c.record("Warning", msg, args) }
func (c *callCounter) Error(msg string, args ...any)   { c.record("Error", msg, args) }
func (c *callCounter) Exception(msg string, err error, args ...any) {
	c.record("Exception", msg, append(args, err))
}

// callsReaching logs once with each of Debug, Info, Warning, Error and
// Exception through a context logger with cfg, and returns how many of the
// calls reached the logger.
func callsReaching(cfg *logConfig) int {
	sink := &callCounter{}
	log := newLogScope(context.Background(), cfg, sink, enrichment{}, nil, nil).logger()
	log.Debug("d")
	log.Info("i")
	log.Warning("w")
	log.Error("e")
	log.Exception("x", errors.New("boom"))
	return sink.calls
}

func TestALCLevelAppliesToEveryLogger(t *testing.T) {
	tests := []struct {
		env   string
		calls int // of Debug, Info, Warning, Error, Exception
	}{
		{"", 5}, // unset: no level of core's own, the logger's decides
		{"TRACE", 5},
		{"DEBUG", 5},
		{"debug", 5},
		{"INFO", 4},
		{"WARN", 3},
		{"warning", 3},
		{"ERROR", 2},
		{"FATAL", 0},
		{"nonsense", 5},
	}
	for _, tt := range tests {
		t.Run("level="+tt.env, func(t *testing.T) {
			t.Setenv("AWS_LAMBDA_LOG_LEVEL", tt.env)
			if n := callsReaching(newTestConfig(readLambdaEnv(os.Getenv))); n != tt.calls {
				t.Errorf("%d calls reached the logger, want %d", n, tt.calls)
			}
		})
	}
}

// WithLogLevel overrides AWS_LAMBDA_LOG_LEVEL, lower or higher.
func TestWithLogLevelOverridesALCLevel(t *testing.T) {
	tests := []struct {
		env, option slog.Level
		calls       int // of Debug, Info, Warning, Error, Exception
	}{
		{slog.LevelError, slog.LevelDebug, 5},
		{slog.LevelDebug, slog.LevelWarn, 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("env=%v option=%v", tt.env, tt.option), func(t *testing.T) {
			if n := callsReaching(newTestConfig(testEnv(tt.env), WithLogLevel(tt.option))); n != tt.calls {
				t.Errorf("%d calls reached the logger, want %d", n, tt.calls)
			}
		})
	}
}

func TestLogFormatEnv(t *testing.T) {
	for _, tt := range []struct {
		format string
		json   bool
	}{{"JSON", true}, {"json", true}, {" Json ", true}, {"Text", false}, {"", false}, {"yaml", false}} {
		t.Run("format="+tt.format, func(t *testing.T) {
			t.Setenv("AWS_LAMBDA_LOG_FORMAT", tt.format)
			if got := readLambdaEnv(os.Getenv).json; got != tt.json {
				t.Errorf("json = %v, want %v", got, tt.json)
			}
		})
	}
}

// levelSink is a callCounter with a level of its own.
type levelSink struct {
	callCounter
	min slog.Level
}

func (l *levelSink) Enabled(level slog.Level) bool { return level >= l.min }

func TestSinkLevelEnabler(t *testing.T) {
	sink := &levelSink{min: slog.LevelWarn}
	log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelDebug)), sink, enrichment{}, nil, nil).logger()
	log.Info("dropped by the sink's level")
	log.Warning("kept")
	if sink.calls != 1 || sink.msg != "kept" {
		t.Errorf("calls = %d, last %q; want only the warning", sink.calls, sink.msg)
	}
	if log.Enabled(slog.LevelInfo) || !log.Enabled(slog.LevelWarn) {
		t.Errorf("Enabled(info), Enabled(warning) = %v, %v; want false, true",
			log.Enabled(slog.LevelInfo), log.Enabled(slog.LevelWarn))
	}
}

func TestLevelBandsReachTheRightMethod(t *testing.T) {
	tests := []struct {
		level  slog.Level
		method string
	}{
		{slog.LevelDebug - 4, "Debug"}, {slog.LevelDebug, "Debug"}, {slog.LevelInfo, "Info"}, {slog.LevelInfo + 2, "Info"},
		{slog.LevelWarn, "Warning"}, {slog.LevelError, "Error"}, {slog.LevelError + 2, "Error"},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			sink := &callCounter{}
			log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelDebug-4)), sink, enrichment{}, nil, nil).logger()
			log.LogAttrs(tt.level, "m", slog.Int("n", 1))
			if sink.method != tt.method {
				t.Errorf("LogAttrs(%v) reached %s, want %s", tt.level, sink.method, tt.method)
			}
			// A plain logger gets flat key/value pairs.
			if len(sink.args) != 2 || sink.args[0] != "n" || sink.args[1] != int64(1) {
				t.Fatalf("args = %#v, want the attr as the pair \"n\", int64(1)", sink.args)
			}
		})
	}
}

func TestFormatVariantsFormatOnlyWhenEmitted(t *testing.T) {
	tests := []struct {
		name      string
		replaying bool
		call      func(Logger, *countingStringer)
		wantCalls int
	}{
		{"emitted", false, func(l Logger, s *countingStringer) { l.Infof("value %v", s) }, 1},
		{"replayed", true, func(l Logger, s *countingStringer) { l.Infof("value %v", s) }, 0},
		{"below level", false, func(l Logger, s *countingStringer) { l.Debugf("value %v", s) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink, buf := jsonSink()
			log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), sink, enrichment{}, replayingSource(tt.replaying), nil).logger()
			s := &countingStringer{}
			tt.call(log, s)
			if s.calls != tt.wantCalls {
				t.Errorf("String called %d times, want %d", s.calls, tt.wantCalls)
			}
			if tt.wantCalls > 0 {
				if line := wantOneLine(t, buf); line["message"] != "value formatted" {
					t.Errorf("message = %v, want %q", line["message"], "value formatted")
				}
			}
		})
	}
}

func TestFormatVariantLevels(t *testing.T) {
	sink := &callCounter{}
	log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelDebug)), sink, enrichment{}, nil, nil).logger()
	for _, tt := range []struct {
		call   func(string, ...any)
		method string
	}{{log.Debugf, "Debug"}, {log.Infof, "Info"}, {log.Warningf, "Warning"}, {log.Errorf, "Error"}} {
		tt.call("n=%d", 7)
		if sink.method != tt.method || sink.msg != "n=7" {
			t.Errorf("got %s(%q), want %s(%q)", sink.method, sink.msg, tt.method, "n=7")
		}
	}
}

type countingStringer struct{ calls int }

func (c *countingStringer) String() string { c.calls++; return "formatted" }

type countingValuer struct{ calls *atomic.Int32 }

func (v countingValuer) LogValue() slog.Value { v.calls.Add(1); return slog.StringValue("resolved") }

func TestLogValuerResolvedOnlyWhenEmitted(t *testing.T) {
	sink, buf := jsonSink()
	src := replayingSource(true)
	log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), sink, enrichment{}, src, nil).logger()
	var calls atomic.Int32
	v := countingValuer{&calls}
	log.Info("replayed", "v", v)
	log.LogAttrs(slog.LevelInfo, "replayed", slog.Any("v", v))
	log.Debug("below level", "v", v)
	if calls.Load() != 0 {
		t.Fatalf("LogValue called %d times for dropped lines, want 0", calls.Load())
	}
	src.on.Store(false)
	log.Info("live", "v", v)
	if line := wantOneLine(t, buf); line["v"] != "resolved" || calls.Load() != 1 {
		t.Errorf("line = %v after %d LogValue calls; want v=resolved after 1", line, calls.Load())
	}
}

// stackError carries a stack trace, as errors from some libraries do.
type stackError struct{}

func (stackError) Error() string        { return "with stack" }
func (stackError) StackTrace() []string { return []string{"main.f", "main.main"} }

func TestException(t *testing.T) {
	tests := []struct {
		name      string
		mode      ReplayMode
		replaying bool
		err       error
		want      map[string]any // fields that must be present
		absent    []string
	}{
		{"plain error", ReplayDrop, false, errors.New("boom"),
			map[string]any{"level": "ERROR", "errorType": "*errors.errorString", "errorMessage": "boom", "k": "v"},
			[]string{"stackTrace"}},
		{"wrapped stack tracer", ReplayDrop, false, fmt.Errorf("outer: %w", stackError{}),
			map[string]any{"errorType": "durable.stackError", "errorMessage": "outer: with stack",
				"stackTrace": []any{"main.f", "main.main"}}, nil},
		{"nil error", ReplayDrop, false, nil,
			map[string]any{"level": "ERROR", "k": "v"}, []string{"errorType", "errorMessage"}},
		{"replayed under ReplayDebug", ReplayDebug, true, errors.New("boom"),
			map[string]any{"level": "DEBUG", "replay": true, "errorType": "*errors.errorString", "errorMessage": "boom"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink, buf := jsonSink()
			cfg := newTestConfig(testEnv(slog.LevelDebug), WithReplayLogs(tt.mode))
			newLogScope(context.Background(), cfg, sink, enrichment{}, replayingSource(tt.replaying), nil).logger().
				Exception("failed", tt.err, "k", "v")
			line := wantOneLine(t, buf)
			for k, v := range tt.want {
				if got, _ := json.Marshal(line[k]); string(got) != mustJSON(t, v) {
					t.Errorf("%s = %s, want %s", k, got, mustJSON(t, v))
				}
			}
			for _, k := range tt.absent {
				if _, ok := line[k]; ok {
					t.Errorf("unexpected %s = %v", k, line[k])
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConcurrentUseWhileReplayFlips(t *testing.T) {
	var buf syncWriter
	sink := logsink.NewSlogLogger(newLambdaHandler(&buf, testEnv(slog.LevelInfo), nil))
	src := replayingSource(false)
	var observed atomic.Int32
	obs := func(logRecord) { observed.Add(1) }
	log := newLogScope(context.Background(), newTestConfig(testEnv(slog.LevelInfo)), sink, enrichment{executionArn: "arn"}, src, obs).logger()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if g == 0 {
					src.on.Store(i%2 == 0)
				}
				log.Info("line", "g", g, "i", i)
			}
		}()
	}
	wg.Wait()
	if observed.Load() != 800 {
		t.Errorf("observer saw %d calls, want 800", observed.Load())
	}
	for _, s := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if !json.Valid([]byte(s)) {
			t.Fatalf("invalid JSON line: %s", s)
		}
	}
}

type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

var _ io.Writer = (*syncWriter)(nil)
