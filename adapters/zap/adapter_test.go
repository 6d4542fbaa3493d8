package zapadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TestContract runs the shared adapter conformance suite against the
// Lambda-shaped logger.
func TestContract(t *testing.T) {
	logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
		return zapadapter.New(zapadapter.NewLambdaLogger(zapcore.AddSync(w), zapcore.DebugLevel))
	}, logtest.Plain(func(w io.Writer) durable.LoggerInterface {
		return sugared{zapadapter.NewLambdaLogger(zapcore.AddSync(w), zapcore.DebugLevel).Sugar()}
	}), logtest.Source("caller", func(w io.Writer) durable.LoggerInterface {
		return zapadapter.New(zapadapter.NewLambdaLogger(zapcore.AddSync(w), zapcore.DebugLevel, zap.AddCaller()))
	}))
}

// sugared is a user's five-method logger over zap's SugaredLogger, which
// knows nothing of durable's types: core hands it flat key/value pairs.
type sugared struct{ s *zap.SugaredLogger }

func (l sugared) Debug(msg string, args ...any)   { l.s.Debugw(msg, args...) }
func (l sugared) Info(msg string, args ...any)    { l.s.Infow(msg, args...) }
func (l sugared) Warning(msg string, args ...any) { l.s.Warnw(msg, args...) }
func (l sugared) Error(msg string, args ...any)   { l.s.Errorw(msg, args...) }
func (l sugared) Exception(msg string, _ error, args ...any) {
	l.s.Errorw(msg, args...) // the error's fields are among args
}

// testTime is the fixed clock reading of every test line.
var testTime = time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)

// fixedClock is a zapcore.Clock that always reads t.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time                       { return c.t }
func (fixedClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLambda returns an adapter over a Lambda-shaped zap logger enabled from
// level, writing to the returned buffer.
func newLambda(level zapcore.Level, opts ...zap.Option) (*zapadapter.Logger, *syncBuffer) {
	var buf syncBuffer
	opts = append([]zap.Option{zap.WithClock(fixedClock{testTime})}, opts...)
	return zapadapter.New(zapadapter.NewLambdaLogger(zapcore.AddSync(&buf), level, opts...)), &buf
}

// lines decodes every JSON line written to buf.
func lines(t *testing.T, buf *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// only decodes the single line written to buf.
func only(t *testing.T, buf *syncBuffer) map[string]any {
	t.Helper()
	got := lines(t, buf)
	if len(got) != 1 {
		t.Fatalf("got %d lines, want 1:\n%s", len(got), buf.String())
	}
	return got[0]
}

// fields returns line without the entry keys every line has.
func fields(line map[string]any) map[string]any {
	out := make(map[string]any, len(line))
	for k, v := range line {
		switch k {
		case "timestamp", "level", "message":
		default:
			out[k] = v
		}
	}
	return out
}

// jsonOf round-trips v through encoding/json, to compare with decoded lines.
func jsonOf(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func assertJSON(t *testing.T, got, want map[string]any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("fields\n got %s\nwant %s", g, w)
	}
}

func TestMethodsLogAtTheirLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		log       func(l *zapadapter.Logger)
		wantLevel string
		atWarn    bool // still printed by a logger enabled from WARN
	}{
		{"Debug", func(l *zapadapter.Logger) { l.Debug("m") }, "DEBUG", false},
		{"Info", func(l *zapadapter.Logger) { l.Info("m") }, "INFO", false},
		{"Warning", func(l *zapadapter.Logger) { l.Warning("m") }, "WARN", true},
		{"Error", func(l *zapadapter.Logger) { l.Error("m") }, "ERROR", true},
		{"Exception", func(l *zapadapter.Logger) { l.Exception("m", errors.New("e")) }, "ERROR", true},
		{"LogAttrs debug", func(l *zapadapter.Logger) { l.LogAttrs(slog.LevelDebug, "m") }, "DEBUG", false},
		{"LogAttrs info", func(l *zapadapter.Logger) { l.LogAttrs(slog.LevelInfo, "m") }, "INFO", false},
		{"LogAttrs warning", func(l *zapadapter.Logger) { l.LogAttrs(slog.LevelWarn, "m") }, "WARN", true},
		{"LogAttrs error", func(l *zapadapter.Logger) { l.LogAttrs(slog.LevelError, "m") }, "ERROR", true},
		{"LogAttrs between info and warning", func(l *zapadapter.Logger) { l.LogAttrs(slog.Level(2), "m") }, "INFO", false},
		{"LogAttrs above error", func(l *zapadapter.Logger) { l.LogAttrs(slog.Level(12), "m") }, "ERROR", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel)
			tt.log(l)
			line := only(t, buf)
			if line["level"] != tt.wantLevel || line["message"] != "m" {
				t.Errorf("got level %v message %v, want %s m", line["level"], line["message"], tt.wantLevel)
			}

			l, buf = newLambda(zapcore.WarnLevel)
			tt.log(l)
			if printed := buf.String() != ""; printed != tt.atWarn {
				t.Errorf("printed at WARN = %v, want %v", printed, tt.atWarn)
			}
		})
	}
}

func TestEnabledAsksTheZapCore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		core  zapcore.Level
		level slog.Level
		want  bool
	}{
		{"debug on debug logger", zapcore.DebugLevel, slog.LevelDebug, true},
		{"debug on info logger", zapcore.InfoLevel, slog.LevelDebug, false},
		{"info on info logger", zapcore.InfoLevel, slog.LevelInfo, true},
		{"between info and warning on warn logger", zapcore.WarnLevel, slog.Level(2), false},
		{"warning on warn logger", zapcore.WarnLevel, slog.LevelWarn, true},
		{"warning on error logger", zapcore.ErrorLevel, slog.LevelWarn, false},
		{"error on error logger", zapcore.ErrorLevel, slog.LevelError, true},
		{"below debug on debug logger", zapcore.DebugLevel, slog.Level(-8), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, _ := newLambda(tt.core)
			if got := l.Enabled(tt.level); got != tt.want {
				t.Errorf("Enabled(%v) = %v, want %v", tt.level, got, tt.want)
			}
		})
	}
}

// tempC is a fmt.Stringer.
type tempC float64

func (c tempC) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

// user is a slog.LogValuer that counts its resolutions.
type user struct {
	id       string
	resolved *int
}

func (u user) LogValue() slog.Value {
	*u.resolved++
	return slog.GroupValue(slog.String("id", u.id), slog.Bool("admin", false))
}

// secret is a slog.LogValuer resolving to a scalar.
type secret string

func (secret) LogValue() slog.Value { return slog.StringValue("***") }

func TestArgsBecomeFields(t *testing.T) {
	t.Parallel()
	n := 0
	when := time.Date(2025, 6, 7, 8, 9, 10, 123_456_789, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		name string
		args []any
		want map[string]any
	}{
		{"no args", nil, map[string]any{}},
		{"string", []any{"k", "v"}, map[string]any{"k": "v"}},
		{"ints", []any{"i", 7, "i8", int8(-8), "i64", int64(1) << 40}, map[string]any{"i": 7, "i8": -8, "i64": int64(1) << 40}},
		{"uints", []any{"u", uint(7), "u8", uint8(8), "u64", uint64(1) << 63}, map[string]any{"u": 7, "u8": 8, "u64": uint64(1) << 63}},
		{"floats", []any{"f", 1.5, "f32", float32(0.25)}, map[string]any{"f": 1.5, "f32": 0.25}},
		{"bool", []any{"ok", true}, map[string]any{"ok": true}},
		{"duration", []any{"took", 1500 * time.Millisecond}, map[string]any{"took": "1.5s"}},
		{"time in UTC with millis", []any{"at", when}, map[string]any{"at": "2025-06-07T06:09:10.123Z"}},
		{"error", []any{"err", errors.New("boom")}, map[string]any{"err": "boom"}},
		{"nil", []any{"v", nil}, map[string]any{"v": nil}},
		{"stringer", []any{"temp", tempC(21.5)}, map[string]any{"temp": "21.5°C"}},
		{"bytes", []any{"b", []byte("hi")}, map[string]any{"b": "aGk="}},
		{"slice", []any{"tags", []string{"a", "b"}}, map[string]any{"tags": []any{"a", "b"}}},
		{"struct", []any{"s", struct{ A int }{1}}, map[string]any{"s": map[string]any{"A": 1}}},
		{"odd final key", []any{"k", "v", "dangling"}, map[string]any{"k": "v", "!BADKEY": "dangling"}},
		{"non-string key", []any{42, "k", "v"}, map[string]any{"!BADKEY": 42, "k": "v"}},
		{"slog attrs", []any{slog.String("s", "x"), slog.Int("n", 3), slog.Float64("f", 0.5), slog.Bool("b", true)},
			map[string]any{"s": "x", "n": 3, "f": 0.5, "b": true}},
		{"slog uint, duration, time", []any{slog.Uint64("u", 9), slog.Duration("d", time.Second), slog.Time("t", when)},
			map[string]any{"u": 9, "d": "1s", "t": "2025-06-07T06:09:10.123Z"}},
		{"slog any error", []any{slog.Any("err", errors.New("bad"))}, map[string]any{"err": "bad"}},
		{"slog group", []any{slog.Group("req", "method", "GET", slog.Group("url", "path", "/x"))},
			map[string]any{"req": map[string]any{"method": "GET", "url": map[string]any{"path": "/x"}}}},
		{"empty group dropped", []any{slog.Group("g"), "k", "v"}, map[string]any{"k": "v"}},
		{"group without key inlined", []any{slog.Group("", "a", 1, "b", 2)}, map[string]any{"a": 1, "b": 2}},
		{"zero attr ignored", []any{slog.Attr{}, "k", "v"}, map[string]any{"k": "v"}},
		{"group value in pair", []any{"g", slog.GroupValue(slog.Int("a", 1))}, map[string]any{"g": map[string]any{"a": 1}}},
		{"log valuer in pair", []any{"user", user{"u1", &n}}, map[string]any{"user": map[string]any{"id": "u1", "admin": false}}},
		{"log valuer in attr", []any{slog.Any("pw", secret("hunter2"))}, map[string]any{"pw": "***"}},
		{"log valuer in group", []any{slog.Group("g", slog.Any("pw", secret("x")))}, map[string]any{"g": map[string]any{"pw": "***"}}},
		{"extra", []any{durable.Extra{"b": 2, "a": "x"}}, map[string]any{"a": "x", "b": 2}},
		{"extra with typed values", []any{durable.Extra{"d": time.Second, "err": errors.New("e"), "pw": secret("s")}},
			map[string]any{"d": "1s", "err": "e", "pw": "***"}},
		{"extra as value", []any{"ctx", durable.Extra{"b": 1, "a": 2}}, map[string]any{"ctx": map[string]any{"a": 2, "b": 1}}},
		{"zap field", []any{zap.Int("z", 5)}, map[string]any{"z": 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel)
			l.Info("m", tt.args...)
			assertJSON(t, fields(only(t, buf)), jsonOf(t, tt.want))
		})
	}
}

func TestLogAttrsBecomeFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		attrs []slog.Attr
		want  map[string]any
	}{
		{"scalars", []slog.Attr{slog.String("s", "x"), slog.Int64("n", -3), slog.Bool("b", false)},
			map[string]any{"s": "x", "n": -3, "b": false}},
		{"nested group", []slog.Attr{slog.Group("a", slog.Group("b", slog.Int("c", 1)))},
			map[string]any{"a": map[string]any{"b": map[string]any{"c": 1}}}},
		{"group inlined inside group", []slog.Attr{slog.Group("a", slog.Group("", slog.Int("c", 1)), slog.Group("e"))},
			map[string]any{"a": map[string]any{"c": 1}}},
		{"log valuer", []slog.Attr{slog.Any("pw", secret("x"))}, map[string]any{"pw": "***"}},
		{"zero attr ignored", []slog.Attr{{}, slog.Int("n", 1)}, map[string]any{"n": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel)
			l.LogAttrs(slog.LevelInfo, "m", tt.attrs...)
			assertJSON(t, fields(only(t, buf)), jsonOf(t, tt.want))
		})
	}
}

func TestFieldOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []any
		want string // the fields part of the line, in order
	}{
		{"call order", []any{"z", 1, slog.Int("a", 2), "m", 3}, `"z":1,"a":2,"m":3`},
		{"extra keys sorted", []any{durable.Extra{"c": 3, "a": 1, "b": 2}}, `"a":1,"b":2,"c":3`},
		{"extra among pairs", []any{"z", 0, durable.Extra{"y": 1, "x": 2}, "a", 3}, `"z":0,"x":2,"y":1,"a":3`},
		{"many extra keys sorted", []any{durable.Extra{
			"q": 0, "p": 0, "o": 0, "n": 0, "m": 0, "l": 0, "k": 0, "j": 0, "i": 0,
			"h": 0, "g": 0, "f": 0, "e": 0, "d": 0, "c": 0, "b": 0, "a": 0,
		}}, `"a":0,"b":0,"c":0,"d":0,"e":0,"f":0,"g":0,"h":0,"i":0,"j":0,"k":0,"l":0,"m":0,"n":0,"o":0,"p":0,"q":0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel)
			l.Info("m", tt.args...)
			if !strings.Contains(buf.String(), `"message":"m",`+tt.want+"}") {
				t.Errorf("line %s does not end with fields %s", buf.String(), tt.want)
			}
		})
	}
}

func TestLaterKeysFollowBoundOnes(t *testing.T) {
	t.Parallel()
	l, buf := newLambda(zapcore.DebugLevel)
	l.With("operationId", "bound").Info("m", "operationId", "call")
	line := only(t, buf)
	// zap writes both; the call's field comes last, so it is the one JSON
	// decoders keep.
	if line["operationId"] != "call" {
		t.Errorf("operationId = %v, want the call's value", line["operationId"])
	}
}

func TestLogValuerResolvedOnlyWhenEmitted(t *testing.T) {
	t.Parallel()
	n := 0
	l, buf := newLambda(zapcore.InfoLevel)
	l.Debug("dropped", "user", user{"u", &n})
	l.LogAttrs(slog.LevelDebug, "dropped", slog.Any("user", user{"u", &n}))
	if n != 0 {
		t.Fatalf("LogValue called %d times for dropped lines", n)
	}
	l.Info("kept", "user", user{"u", &n})
	if n != 1 || !strings.Contains(buf.String(), `"user":{"id":"u"`) {
		t.Errorf("LogValue called %d times, line %s", n, buf.String())
	}
}

// stackErr carries its own stack trace.
type stackErr struct{ msg string }

func (e *stackErr) Error() string        { return e.msg }
func (e *stackErr) StackTrace() []string { return []string{"main.f", "main.main"} }

// nilErr panics in Error on a nil receiver.
type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

func TestExceptionFields(t *testing.T) {
	t.Parallel()
	var typedNil *nilErr
	tests := []struct {
		name string
		err  error
		args []any
		want map[string]any
	}{
		{"plain error", errors.New("boom"), nil,
			map[string]any{"errorType": "*errors.errorString", "errorMessage": "boom"}},
		{"error with args", fmt.Errorf("wrap: %w", errors.New("boom")), []any{"order", "o1"},
			map[string]any{"errorType": "*errors.errorString", "errorMessage": "wrap: boom", "order": "o1"}},
		{"error with a stack", &stackErr{"deep"}, nil,
			map[string]any{"errorType": "*zapadapter_test.stackErr", "errorMessage": "deep", "stackTrace": []any{"main.f", "main.main"}}},
		{"wrapped error with a stack", fmt.Errorf("outer: %w", &stackErr{"deep"}), nil,
			map[string]any{"errorType": "*zapadapter_test.stackErr", "errorMessage": "outer: deep", "stackTrace": []any{"main.f", "main.main"}}},
		{"joined errors, one with a stack", errors.Join(errors.New("first"), &stackErr{"second"}), nil,
			map[string]any{"errorType": "*zapadapter_test.stackErr", "errorMessage": "first\nsecond", "stackTrace": []any{"main.f", "main.main"}}},
		{"nil error", nil, []any{"k", 1}, map[string]any{"k": 1}},
		{"typed nil whose Error panics", typedNil, nil,
			map[string]any{"errorType": "*zapadapter_test.nilErr", "errorMessage": "<nil>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel)
			l.Exception("failed", tt.err, tt.args...)
			line := only(t, buf)
			if line["level"] != "ERROR" {
				t.Errorf("level = %v, want ERROR", line["level"])
			}
			assertJSON(t, fields(line), jsonOf(t, tt.want))
		})
	}
}

func TestExceptionStackWithAddStacktrace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		err       error
		wantStack func(any) bool
	}{
		{"zap's stack for a plain error", errors.New("e"), func(v any) bool {
			s, ok := v.(string)
			return ok && strings.Contains(s, "TestExceptionStackWithAddStacktrace")
		}},
		{"the error's own stack replaces zap's", &stackErr{"e"}, func(v any) bool {
			s, ok := v.([]any)
			return ok && len(s) == 2 && s[0] == "main.f"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel, zap.AddStacktrace(zapcore.ErrorLevel))
			l.Exception("failed", tt.err)
			if n := strings.Count(buf.String(), `"stackTrace"`); n != 1 {
				t.Fatalf("%d stackTrace keys in %s", n, buf.String())
			}
			if got := only(t, buf)["stackTrace"]; !tt.wantStack(got) {
				t.Errorf("stackTrace = %v", got)
			}
		})
	}
}

func TestWithBindsFields(t *testing.T) {
	t.Parallel()
	l, buf := newLambda(zapcore.DebugLevel)
	child := l.With("executionArn", "arn:1", slog.Int("attempt", 2))
	child.Info("one", "k", "v")
	child.(logsink.AttrLogger).LogAttrs(slog.LevelWarn, "two")
	l.Info("parent")
	got := lines(t, buf)
	if len(got) != 3 {
		t.Fatalf("got %d lines", len(got))
	}
	assertJSON(t, fields(got[0]), jsonOf(t, map[string]any{"executionArn": "arn:1", "attempt": 2, "k": "v"}))
	assertJSON(t, fields(got[1]), jsonOf(t, map[string]any{"executionArn": "arn:1", "attempt": 2}))
	assertJSON(t, fields(got[2]), map[string]any{})
}

func TestWithChainsAndReachesZap(t *testing.T) {
	t.Parallel()
	l, buf := newLambda(zapcore.DebugLevel)
	child := l.With("a", 1).(*zapadapter.Logger).With("b", 2).(*zapadapter.Logger)
	child.Zap().Info("native")
	assertJSON(t, fields(only(t, buf)), jsonOf(t, map[string]any{"a": 1, "b": 2}))
	if l.With() != durable.LoggerInterface(l) {
		t.Error("With() without args should return the same logger")
	}
}

func TestWithResolvesLogValuersOnce(t *testing.T) {
	t.Parallel()
	n := 0
	l, buf := newLambda(zapcore.DebugLevel)
	child := l.With("user", user{"u", &n})
	child.Info("a")
	child.Info("b")
	if n != 1 || strings.Count(buf.String(), `"user":{"id":"u","admin":false}`) != 2 {
		t.Errorf("LogValue called %d times; output %s", n, buf.String())
	}
}

func TestZapReturnsTheNativeLogger(t *testing.T) {
	t.Parallel()
	z := zap.NewExample()
	if got := zapadapter.New(z).Zap(); got != z {
		t.Errorf("Zap() = %p, want %p", got, z)
	}
}

func TestNilLoggerUsesGlobal(t *testing.T) {
	t.Parallel()
	l := zapadapter.New(nil)
	if l.Zap() == nil {
		t.Fatal("Zap() is nil")
	}
	l.Info("goes to zap.L()", "k", 1) // must not panic
}

func TestKeepsTheUsersConfiguration(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	cfg := zap.NewProductionEncoderConfig()
	z := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.AddSync(&buf), zapcore.WarnLevel))
	l := zapadapter.New(z)
	l.Info("dropped")
	l.Warning("kept", "took", time.Second)
	line := only(t, &buf)
	if line["msg"] != "kept" || line["level"] != "warn" || line["took"] != 1.0 {
		t.Errorf("line %v does not use the production encoder's keys and encoders", line)
	}
	if _, ok := line["ts"].(float64); !ok {
		t.Errorf("ts = %v, want epoch seconds", line["ts"])
	}
}

func TestLambdaShape(t *testing.T) {
	t.Parallel()
	local := time.Date(2026, 3, 4, 12, 30, 0, 5_000_000, time.FixedZone("X", -5*3600))
	var buf syncBuffer
	z := zapadapter.NewLambdaLogger(zapcore.AddSync(&buf), zapcore.DebugLevel, zap.WithClock(fixedClock{local}))
	zapadapter.New(z.Named("orders")).Warning("hello")
	want := `{"level":"WARN","timestamp":"2026-03-04T17:30:00.005Z","logger":"orders","message":"hello"}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}

// A field named like one of the Lambda shape's own keys is written under
// "fields.<key>" (as the logrus adapter's LambdaFormatter does), so the line
// holds "level" once and Lambda filters it by its real level; fields of a
// namespace or a nested object keep their names.
func TestLambdaFieldsNamedLikeTheShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *zapadapter.Logger)
		want string
	}{
		{"call", func(l *zapadapter.Logger) {
			l.Error("m", "level", "debug", "timestamp", "t", "message", "mine")
		}, `{"level":"ERROR","timestamp":"2026-01-02T03:04:05.678Z","message":"m","fields.level":"debug","fields.timestamp":"t","fields.message":"mine"}`},
		{"bound", func(l *zapadapter.Logger) {
			l.With("level", "debug").Error("m", "message", "mine")
		}, `{"level":"ERROR","timestamp":"2026-01-02T03:04:05.678Z","message":"m","fields.level":"debug","fields.message":"mine"}`},
		{"native", func(l *zapadapter.Logger) {
			l.Zap().With(zap.String("message", "mine")).Error("m", zap.String("level", "debug"))
		}, `{"level":"ERROR","timestamp":"2026-01-02T03:04:05.678Z","message":"m","fields.message":"mine","fields.level":"debug"}`},
		{"nested", func(l *zapadapter.Logger) {
			l.Zap().With(zap.Namespace("req")).Error("m", zap.String("level", "debug"))
			l.Error("m", slog.Group("g", "level", "debug"))
		}, `{"level":"ERROR","timestamp":"2026-01-02T03:04:05.678Z","message":"m","req":{"level":"debug"}}` + "\n" +
			`{"level":"ERROR","timestamp":"2026-01-02T03:04:05.678Z","message":"m","g":{"level":"debug"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newLambda(zapcore.DebugLevel)
			tt.log(l)
			if got := strings.TrimSuffix(buf.String(), "\n"); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A value whose MarshalJSON panics is written with the panic, as
// log/slog's JSON handler writes it, rather than taking the function down;
// other json.Marshalers, nil pointers among them, are written as before.
func TestValueWhoseMarshalJSONPanics(t *testing.T) {
	t.Parallel()
	var nilPoint *jsonPoint
	l, buf := newLambda(zapcore.DebugLevel)
	l.Info("m", "a", 1, "v", panickyJSON{}, "p", &jsonPoint{1, 2}, "n", nilPoint)
	l.With("v", panickyJSON{}).Info("m")
	want := `{"level":"INFO","timestamp":"2026-01-02T03:04:05.678Z","message":"m","a":1,"v":"!PANIC: broken","p":[1,2],"n":null}` + "\n" +
		`{"level":"INFO","timestamp":"2026-01-02T03:04:05.678Z","message":"m","v":"!PANIC: broken"}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf, want)
	}
}

// panickyJSON's MarshalJSON panics.
type panickyJSON struct{}

func (panickyJSON) MarshalJSON() ([]byte, error) { panic("broken") }

// jsonPoint marshals itself as a JSON array.
type jsonPoint struct{ x, y int }

func (p *jsonPoint) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, "[%d,%d]", p.x, p.y), nil }

func TestLambdaLevelNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		level zapcore.Level
		want  string
	}{
		{zapcore.DebugLevel, "DEBUG"},
		{zapcore.InfoLevel, "INFO"},
		{zapcore.WarnLevel, "WARN"},
		{zapcore.ErrorLevel, "ERROR"},
		{zapcore.DPanicLevel, "ERROR"},
		{zapcore.PanicLevel, "FATAL"},
		{zapcore.FatalLevel, "FATAL"},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			t.Parallel()
			enc := zapcore.NewMapObjectEncoder()
			if err := enc.AddArray("l", zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error {
				zapadapter.LambdaLevelEncoder(tt.level, a)
				zapadapter.LambdaTimeEncoder(testTime.In(time.FixedZone("Y", 3600)), a)
				return nil
			})); err != nil {
				t.Fatal(err)
			}
			got := enc.Fields["l"].([]any)
			if got[0] != tt.want || got[1] != "2026-01-02T03:04:05.678Z" {
				t.Errorf("got %v, want [%s 2026-01-02T03:04:05.678Z]", got, tt.want)
			}
		})
	}
}

// here returns the file:line of its caller, as zap's ShortCallerEncoder
// writes it.
func here() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("zap/%s:%d", file[strings.LastIndex(file, "/")+1:], line)
}

func TestCallerIsTheCodeCallingTheAdapter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *zapadapter.Logger) string
	}{
		{"Info", func(l *zapadapter.Logger) string { l.Info("m"); return here() }},
		{"Exception", func(l *zapadapter.Logger) string { l.Exception("m", nil); return here() }},
		{"LogAttrs", func(l *zapadapter.Logger) string { l.LogAttrs(slog.LevelInfo, "m"); return here() }},
		{"With", func(l *zapadapter.Logger) string { l.With("k", 1).Info("m"); return here() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf syncBuffer
			z := zapadapter.NewLambdaLogger(zapcore.AddSync(&buf), zapcore.DebugLevel, zap.AddCaller())
			want := tt.log(zapadapter.New(z))
			if got := only(t, &buf)["caller"]; got != want {
				t.Errorf("caller = %v, want %s", got, want)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	l, buf := newLambda(zapcore.DebugLevel)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			child := l.With("goroutine", g)
			for i := range 50 {
				child.Info("m", "i", i, durable.Extra{"b": 1, "a": 2})
			}
		}()
	}
	wg.Wait()
	if got := len(lines(t, buf)); got != 400 {
		t.Errorf("got %d lines, want 400", got)
	}
}

func TestDisabledLevelAllocatesNothing(t *testing.T) {
	l, _ := newLambda(zapcore.InfoLevel)
	// Concrete type: through an interface Go must heap-allocate the
	// variadic slice, which is why core asks Enabled first.
	bound := l.With("executionArn", "arn").(*zapadapter.Logger)
	tests := []struct {
		name string
		log  func()
	}{
		{"constant args", func() { l.Debug("m", "k", "v", "n", 1) }},
		{"LogAttrs", func() { l.LogAttrs(slog.LevelDebug, "m", slog.String("k", "v"), slog.Int("n", 1)) }},
		{"bound logger", func() { bound.Debug("m", "k", "v") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tt.log); n != 0 {
				t.Errorf("%v allocations per dropped call, want 0", n)
			}
		})
	}
}
