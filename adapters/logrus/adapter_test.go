package logrusadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
	"github.com/sirupsen/logrus"
	logrustest "github.com/sirupsen/logrus/hooks/test"
)

// newLambda returns an adapter over a Lambda-shaped logrus logger at level
// and the buffer it writes to.
func newLambda(level logrus.Level) (*logrusadapter.Logger, *logrus.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	native := logrusadapter.NewLambdaLogger(&buf, level)
	return logrusadapter.New(native), native, &buf
}

// decodeLines decodes every output line, failing the test on any line that
// is not one JSON object.
func decodeLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, s := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if s == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("line is not a JSON object (%v): %s", err, s)
		}
		lines = append(lines, m)
	}
	return lines
}

// oneLine decodes output that must hold exactly one line.
func oneLine(t *testing.T, out string) map[string]any {
	t.Helper()
	lines := decodeLines(t, out)
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1:\n%s", len(lines), out)
	}
	return lines[0]
}

func TestLevelMethods(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		log       func(l *logrusadapter.Logger)
		wantLevel string
	}{
		{"debug", func(l *logrusadapter.Logger) { l.Debug("m") }, "DEBUG"},
		{"info", func(l *logrusadapter.Logger) { l.Info("m") }, "INFO"},
		{"warning", func(l *logrusadapter.Logger) { l.Warning("m") }, "WARN"},
		{"error", func(l *logrusadapter.Logger) { l.Error("m") }, "ERROR"},
		{"exception", func(l *logrusadapter.Logger) { l.Exception("m", errors.New("x")) }, "ERROR"},
		{"exception with nil error", func(l *logrusadapter.Logger) { l.Exception("m", nil) }, "ERROR"},
		{"LogAttrs at warn", func(l *logrusadapter.Logger) { l.LogAttrs(slog.LevelWarn, "m") }, "WARN"},
		{"LogAttrs between levels rounds down", func(l *logrusadapter.Logger) { l.LogAttrs(slog.LevelWarn+2, "m") }, "WARN"},
		{"LogAttrs above error stays error", func(l *logrusadapter.Logger) { l.LogAttrs(slog.LevelError+8, "m") }, "ERROR"},
		{"LogAttrs below debug is trace", func(l *logrusadapter.Logger) { l.LogAttrs(slog.LevelDebug-4, "m") }, "TRACE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, _, buf := newLambda(logrus.TraceLevel)
			tt.log(l)
			got := oneLine(t, buf.String())
			if got["level"] != tt.wantLevel || got["message"] != "m" {
				t.Errorf("got level %v message %v, want %s m", got["level"], got["message"], tt.wantLevel)
			}
		})
	}
}

func TestKeepsTheUsersFormatter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	native := logrus.New()
	native.SetOutput(&buf)
	native.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})
	logrusadapter.New(native).Warning("careful", "k", "v")
	if got, want := buf.String(), "level=warning msg=careful k=v\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// counter is a slog.LogValuer that counts its resolutions.
type counter struct{ n atomic.Int32 }

func (c *counter) LogValue() slog.Value {
	c.n.Add(1)
	return slog.StringValue("resolved")
}

// stackErr is an error carrying its own stack trace.
type stackErr struct{ msg string }

func (e *stackErr) Error() string        { return e.msg }
func (e *stackErr) StackTrace() []string { return []string{"main.f", "main.main"} }

func TestArgs(t *testing.T) {
	t.Parallel()
	fn := func(int) error { return nil }
	tests := []struct {
		name   string
		args   []any
		want   map[string]any // fields that must be present, as JSON decodes them
		absent []string
	}{
		{
			name: "key/value pairs of common types",
			args: []any{"s", "x", "i", 42, "f", 1.5, "b", true, "d", 2 * time.Second, "u", uint64(7)},
			want: map[string]any{"s": "x", "i": 42.0, "f": 1.5, "b": true, "d": 2e9, "u": 7.0},
		},
		{
			name: "slog.Attr values",
			args: []any{slog.String("s", "x"), slog.Int("i", 3), slog.Bool("b", false), slog.Float64("f", 0.25)},
			want: map[string]any{"s": "x", "i": 3.0, "b": false, "f": 0.25},
		},
		{
			name: "slog.Time attr",
			args: []any{slog.Time("t", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))},
			want: map[string]any{"t": "2024-05-06T07:08:09Z"},
		},
		{
			name: "durable.Extra",
			args: []any{durable.Extra{"b": 2, "a": "one"}},
			want: map[string]any{"a": "one", "b": 2.0},
		},
		{
			name: "group becomes a nested object",
			args: []any{slog.Group("req", slog.String("id", "r1"), slog.Group("user", slog.Int("n", 2)))},
			want: map[string]any{"req": map[string]any{"id": "r1", "user": map[string]any{"n": 2.0}}},
		},
		{
			name:   "empty group is dropped",
			args:   []any{slog.Group("req")},
			absent: []string{"req"},
		},
		{
			name: "group without a key is inlined",
			args: []any{slog.Group("", slog.Int("x", 1))},
			want: map[string]any{"x": 1.0},
		},
		{
			name:   "zero attr is ignored",
			args:   []any{slog.Attr{}, "k", "v"},
			want:   map[string]any{"k": "v"},
			absent: []string{""},
		},
		{
			name: "LogValuer as a value and as an attr is resolved",
			args: []any{"a", &counter{}, slog.Any("b", &counter{}), "c", slog.AnyValue(&counter{})},
			want: map[string]any{"a": "resolved", "b": "resolved", "c": "resolved"},
		},
		{
			name: "error values become their message",
			args: []any{"err", errors.New("boom"), slog.Any("wrapped", fmt.Errorf("ctx: %w", errors.New("inner")))},
			want: map[string]any{"err": "boom", "wrapped": "ctx: inner"},
		},
		{
			name: "dangling key",
			args: []any{"k", "v", "dangling"},
			want: map[string]any{"k": "v", "!BADKEY": "dangling"},
		},
		{
			name: "value in key position",
			args: []any{42, "k", "v"},
			want: map[string]any{"!BADKEY": 42.0, "k": "v"},
		},
		{
			name: "later key overrides earlier one",
			args: []any{"k", 1, slog.Int("k", 2), durable.Extra{"k": 3}, "k", 4},
			want: map[string]any{"k": 4.0},
		},
		{
			name: "Extra overrides an earlier pair",
			args: []any{"k", 1, durable.Extra{"k": "extra"}},
			want: map[string]any{"k": "extra"},
		},
		{
			name: "func value becomes its type name",
			args: []any{"fn", fn},
			want: map[string]any{"fn": "func(int) error"},
		},
		{
			name: "Extra as a value is converted too",
			args: []any{"ctx", durable.Extra{"err": errors.New("e"), "n": 1}},
			want: map[string]any{"ctx": map[string]any{"err": "e", "n": 1.0}},
		},
		{
			name: "nil error value",
			args: []any{"err", error(nil)},
			want: map[string]any{"err": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, _, buf := newLambda(logrus.DebugLevel)
			l.Info("m", tt.args...)
			got := oneLine(t, buf.String())
			for k, want := range tt.want {
				if v, ok := got[k]; !ok || !reflect.DeepEqual(v, want) {
					t.Errorf("field %q = %#v (present %v), want %#v", k, v, ok, want)
				}
			}
			for _, k := range tt.absent {
				if v, ok := got[k]; ok {
					t.Errorf("field %q = %#v, want it absent", k, v)
				}
			}
		})
	}
}

// A value encoding/json refuses, passed to a logger with logrus's own
// JSONFormatter, is written as a string, as zap and zerolog write it; the
// line is not lost (the formatter marshals all fields at once and, on
// failure, logrus prints nothing but a note to stderr).
func TestUnencodableValuesWithJSONFormatter(t *testing.T) {
	t.Parallel()
	loop := &cyclic{Name: "a"}
	loop.Next = loop
	tests := []struct {
		name string
		arg  any
		want any
	}{
		{"NaN", math.NaN(), "NaN"},
		{"NaN attr", slog.Float64("v", math.NaN()), "NaN"},
		{"+Inf", math.Inf(1), "+Inf"},
		{"float32 -Inf", float32(math.Inf(-1)), "-Inf"},
		{"complex", complex(1, 2), "(1+2i)"},
		{"NaN in a slice", []float64{1, math.NaN()}, "[1 NaN]"},
		{"cycle", loop, fmt.Sprintf("%+v", loop)},
		{"failing MarshalJSON", failingJSON{}, "{}"},
		{"panicking MarshalJSON", panickingJSON{}, "!PANIC: broken"},
		{"finite float stays a number", 0.5, 0.5},
		{"encodable map stays a map", map[string]int{"a": 1}, map[string]any{"a": float64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			native := logrus.New()
			native.SetOutput(&buf)
			native.SetFormatter(&logrus.JSONFormatter{})
			args := []any{"v", tt.arg}
			if a, ok := tt.arg.(slog.Attr); ok {
				args = []any{a}
			}
			logrusadapter.New(native).Info("m", args...)
			got := oneLine(t, buf.String())
			if !reflect.DeepEqual(got["v"], tt.want) || got["msg"] != "m" {
				t.Errorf("line = %s, want v = %#v", buf.String(), tt.want)
			}
		})
	}
}

// cyclic points to itself.
type cyclic struct {
	Name string
	Next *cyclic
}

// failingJSON's MarshalJSON fails; panickingJSON's panics.
type (
	failingJSON   struct{}
	panickingJSON struct{}
)

func (failingJSON) MarshalJSON() ([]byte, error)   { return nil, errors.New("refused") }
func (panickingJSON) MarshalJSON() ([]byte, error) { panic("broken") }

// TestFieldValues checks what hooks and formatters find in Entry.Data: plain
// values, whatever the formatter does with them later.
func TestFieldValues(t *testing.T) {
	t.Parallel()
	fn := func() {}
	tests := []struct {
		name string
		args []any
		want logrus.Fields
	}{
		{"typed attrs keep their Go types", []any{slog.Int("i", 1), slog.Uint64("u", 2), slog.Duration("d", time.Second)},
			logrus.Fields{"i": int64(1), "u": uint64(2), "d": time.Second}},
		{"pairs keep their values, integers as int64 like slog.Value.Any", []any{"i", 1, "s", "x"}, logrus.Fields{"i": int64(1), "s": "x"}},
		{"errors become strings", []any{"e", errors.New("boom"), slog.Any("a", errors.New("attr"))},
			logrus.Fields{"e": "boom", "a": "attr"}},
		{"groups become maps", []any{slog.Group("g", slog.Any("e", errors.New("x")), slog.Int("n", 1))},
			logrus.Fields{"g": map[string]any{"e": "x", "n": int64(1)}}},
		{"LogValuers are resolved", []any{"v", &counter{}}, logrus.Fields{"v": "resolved"}},
		{"funcs become their type name", []any{"f", fn, slog.Any("g", fn)}, logrus.Fields{"f": "func()", "g": "func()"}},
		{"Extra values become maps", []any{"x", durable.Extra{"e": errors.New("y")}},
			logrus.Fields{"x": map[string]any{"e": "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			native, hook := logrustest.NewNullLogger()
			logrusadapter.New(native).Info("m", tt.args...)
			e := hook.LastEntry()
			if e == nil {
				t.Fatal("nothing was logged")
			}
			if !reflect.DeepEqual(e.Data, tt.want) {
				t.Errorf("got %#v, want %#v", e.Data, tt.want)
			}
		})
	}
}

func TestException(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		args   []any
		want   map[string]any
		absent []string
	}{
		{
			name:   "plain error",
			err:    errors.New("boom"),
			want:   map[string]any{"errorType": "*errors.errorString", "errorMessage": "boom"},
			absent: []string{"stackTrace"},
		},
		{
			name: "error with a stack trace",
			err:  &stackErr{msg: "deep"},
			want: map[string]any{
				"errorType": "*logrusadapter_test.stackErr", "errorMessage": "deep",
				"stackTrace": []any{"main.f", "main.main"},
			},
		},
		{
			name: "wrapped error with a stack trace",
			err:  fmt.Errorf("outer: %w", &stackErr{msg: "deep"}),
			want: map[string]any{
				"errorType": "*logrusadapter_test.stackErr", "errorMessage": "outer: deep",
				"stackTrace": []any{"main.f", "main.main"},
			},
		},
		{
			name:   "nil error",
			err:    nil,
			absent: []string{"errorType", "errorMessage", "stackTrace"},
		},
		{
			name: "nil pointer inside the error",
			err:  (*stackErr)(nil),
			want: map[string]any{"errorType": "*logrusadapter_test.stackErr"},
		},
		{
			name: "args travel with the error fields",
			err:  errors.New("boom"),
			args: []any{"order", "o-1", durable.Extra{"attempt": 2}},
			want: map[string]any{"errorMessage": "boom", "order": "o-1", "attempt": 2.0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, _, buf := newLambda(logrus.DebugLevel)
			l.Exception("failed", tt.err, tt.args...)
			got := oneLine(t, buf.String())
			if got["level"] != "ERROR" || got["message"] != "failed" {
				t.Errorf("got level %v message %v, want ERROR failed", got["level"], got["message"])
			}
			for k, want := range tt.want {
				if v := got[k]; !reflect.DeepEqual(v, want) {
					t.Errorf("field %q = %#v, want %#v", k, v, want)
				}
			}
			for _, k := range tt.absent {
				if v, ok := got[k]; ok {
					t.Errorf("field %q = %#v, want it absent", k, v)
				}
			}
		})
	}
}

func TestWith(t *testing.T) {
	t.Parallel()
	t.Run("bound fields are on every line and calls override them", func(t *testing.T) {
		t.Parallel()
		l, _, buf := newLambda(logrus.DebugLevel)
		bound := l.With("requestId", "r1", slog.String("operationId", "op"))
		bound.Info("first")
		bound.Warning("second", "operationId", "mine")
		lines := decodeLines(t, buf.String())
		if len(lines) != 2 {
			t.Fatalf("got %d lines, want 2", len(lines))
		}
		if lines[0]["requestId"] != "r1" || lines[0]["operationId"] != "op" {
			t.Errorf("first line lacks bound fields: %v", lines[0])
		}
		if lines[1]["requestId"] != "r1" || lines[1]["operationId"] != "mine" {
			t.Errorf("second line: got %v, want requestId r1 and operationId mine", lines[1])
		}
	})
	t.Run("the parent logger is unchanged", func(t *testing.T) {
		t.Parallel()
		l, _, buf := newLambda(logrus.DebugLevel)
		_ = l.With("requestId", "r1")
		l.Info("m")
		if got := oneLine(t, buf.String()); got["requestId"] != nil {
			t.Errorf("parent line has requestId %v", got["requestId"])
		}
	})
	t.Run("With nests", func(t *testing.T) {
		t.Parallel()
		l, _, buf := newLambda(logrus.DebugLevel)
		inner := l.With("a", 1).(logsink.Binder).With("b", 2)
		inner.Info("m")
		got := oneLine(t, buf.String())
		if got["a"] != 1.0 || got["b"] != 2.0 {
			t.Errorf("got %v, want a=1 and b=2", got)
		}
	})
	t.Run("native access is the entry with the bound fields", func(t *testing.T) {
		t.Parallel()
		l, native, _ := newLambda(logrus.DebugLevel)
		e, ok := l.With("k", "v").(*logrusadapter.Logger).Logrus().(*logrus.Entry)
		if !ok {
			t.Fatal("Logrus() of a bound logger is not a *logrus.Entry")
		}
		if e.Data["k"] != "v" || e.Logger != native {
			t.Errorf("entry has data %v and logger %p, want k=v and %p", e.Data, e.Logger, native)
		}
	})
	t.Run("no fields returns the same logger", func(t *testing.T) {
		t.Parallel()
		l, _, _ := newLambda(logrus.DebugLevel)
		if got := l.With(); got != durable.LoggerInterface(l) {
			t.Errorf("With() returned a new logger %p, want %p", got, l)
		}
	})
}

func TestNewWithEntry(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	native := logrusadapter.NewLambdaLogger(&buf, logrus.InfoLevel)
	at := time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC)
	entry := native.WithField("app", "shop").WithTime(at)
	l := logrusadapter.New(entry)
	if l.Logrus() != logrus.FieldLogger(entry) {
		t.Error("Logrus() does not return the entry given to New")
	}
	if l.Enabled(slog.LevelDebug) {
		t.Error("Enabled(debug) is true on an info-level logger")
	}
	l.Info("m", "k", "v")
	got := oneLine(t, buf.String())
	want := map[string]any{"app": "shop", "k": "v", "timestamp": "2024-01-02T03:04:05.006Z"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("field %q = %v, want %v", k, got[k], w)
		}
	}
}

func TestNilAndIncompleteLoggers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		l    logrus.FieldLogger
	}{
		{"nil interface", nil},
		{"nil *logrus.Logger", (*logrus.Logger)(nil)},
		{"nil *logrus.Entry", (*logrus.Entry)(nil)},
		{"entry without a logger", &logrus.Entry{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := logrusadapter.New(tt.l)
			if !usable(l.Logrus()) {
				t.Errorf("Logrus() = %#v, which cannot log", l.Logrus())
			}
			// The standard logger decides; at its default info level,
			// debug is off and errors are on.
			if l.Enabled(slog.LevelDebug) || !l.Enabled(slog.LevelError) {
				t.Error("Enabled does not follow the standard logger's info level")
			}
		})
	}
}

// usable reports whether logging on l would reach a logger rather than
// panic.
func usable(l logrus.FieldLogger) bool {
	switch n := l.(type) {
	case *logrus.Logger:
		return n != nil
	case *logrus.Entry:
		return n != nil && n.Logger != nil
	}
	return false
}

// wrapper is a FieldLogger of a type the adapter does not know.
type wrapper struct{ *logrus.Logger }

func TestOtherFieldLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	native := logrusadapter.NewLambdaLogger(&buf, logrus.InfoLevel)
	l := logrusadapter.New(wrapper{native})
	if l.Enabled(slog.LevelDebug) || !l.Enabled(slog.LevelInfo) {
		t.Error("Enabled does not follow the wrapped logger's level")
	}
	l.With("requestId", "r1").(*logrusadapter.Logger).LogAttrs(slog.LevelInfo, "m", slog.Int("n", 1))
	l.Debug("dropped")
	got := oneLine(t, buf.String())
	if got["requestId"] != "r1" || got["n"] != 1.0 || got["message"] != "m" {
		t.Errorf("got %v, want requestId r1, n 1, message m", got)
	}
}

func TestEnabled(t *testing.T) {
	t.Parallel()
	l, _, _ := newLambda(logrus.WarnLevel)
	tests := []struct {
		level slog.Level
		want  bool
	}{
		{slog.LevelDebug, false},
		{slog.LevelInfo, false},
		{slog.LevelInfo + 2, false},
		{slog.LevelWarn, true},
		{slog.LevelError, true},
		{slog.LevelError + 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			t.Parallel()
			if got := l.Enabled(tt.level); got != tt.want {
				t.Errorf("Enabled(%v) = %v, want %v", tt.level, got, tt.want)
			}
		})
	}
}

func TestDisabledLevel(t *testing.T) {
	t.Parallel()
	t.Run("nothing is written and LogValuers are not resolved", func(t *testing.T) {
		t.Parallel()
		l, _, buf := newLambda(logrus.ErrorLevel)
		c := &counter{}
		l.Info("m", "v", c)
		l.LogAttrs(slog.LevelWarn, "m", slog.Any("v", c))
		l.With("k", "v").Debug("m", "v", c)
		if buf.Len() != 0 || c.n.Load() != 0 {
			t.Errorf("wrote %q and resolved %d times, want nothing", buf.String(), c.n.Load())
		}
	})
}

// TestDroppedCallAllocatesNothing is not parallel: AllocsPerRun counts the
// whole process's allocations. Values boxed at the call site (a slog.Attr
// or a dynamic value passed through ...any) are the caller's cost, as with
// log/slog, and are not used here.
func TestDroppedCallAllocatesNothing(t *testing.T) {
	l, _, _ := newLambda(logrus.FatalLevel)
	bound := l.With("requestId", "r1").(*logrusadapter.Logger)
	n := 1000
	tests := []struct {
		name string
		log  func()
	}{
		{"constant pairs", func() { l.Debug("m", "k", "v", "n", 1) }},
		{"constant pairs on a bound logger", func() { bound.Warning("m", "k", "v") }},
		{"exception", func() { bound.Exception("m", nil, "k", "v") }},
		{"LogAttrs", func() { bound.LogAttrs(slog.LevelWarn, "m", slog.String("k", "v"), slog.Int("n", n)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, tt.log); allocs != 0 {
				t.Errorf("dropped call allocated %v times, want 0", allocs)
			}
		})
	}
}

func TestReportCaller(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *logrusadapter.Logger) int // returns the line it logged from
	}{
		{
			name: "the caller of the adapter is reported",
			log: func(l *logrusadapter.Logger) int {
				l.Info("m")
				return lineHere() - 1
			},
		},
		{
			name: "LogAttrs reports its caller too",
			log: func(l *logrusadapter.Logger) int {
				l.LogAttrs(slog.LevelInfo, "m")
				return lineHere() - 1
			},
		},
		{
			name: "a bound logger reports its caller",
			log: func(l *logrusadapter.Logger) int {
				l.With("k", 1).Exception("m", nil)
				return lineHere() - 1
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, native, buf := newLambda(logrus.DebugLevel)
			native.SetReportCaller(true)
			line := tt.log(l)
			got := oneLine(t, buf.String())
			want := fmt.Sprintf("adapter_test.go:%d", line)
			if file, _ := got["file"].(string); !strings.HasSuffix(file, want) {
				t.Errorf("file = %q, want it to end in %s", file, want)
			}
		})
	}
}

// lineHere returns the line it is called from.
func lineHere() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	native := logrusadapter.NewLambdaLogger(&buf, logrus.DebugLevel)
	l := logrusadapter.New(native).With("requestId", "r1").(*logrusadapter.Logger)
	const goroutines, perGoroutine = 8, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perGoroutine {
				l.Info("m", "g", g, "i", i)
				l.With("g", g).(*logrusadapter.Logger).LogAttrs(slog.LevelWarn, "w", slog.Int("i", i))
			}
		}()
	}
	wg.Wait()
	lines := decodeLines(t, buf.String())
	if len(lines) != 2*goroutines*perGoroutine {
		t.Fatalf("got %d lines, want %d", len(lines), 2*goroutines*perGoroutine)
	}
	for _, line := range lines {
		if line["requestId"] != "r1" {
			t.Fatalf("line lacks the bound requestId: %v", line)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
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

func TestConformance(t *testing.T) {
	logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
		return logrusadapter.New(logrusadapter.NewLambdaLogger(w, logrus.DebugLevel))
	}, logtest.Plain(func(w io.Writer) durable.LoggerInterface {
		return withFields{logrusadapter.NewLambdaLogger(w, logrus.DebugLevel)}
	}), logtest.Source("file", func(w io.Writer) durable.LoggerInterface {
		l := logrusadapter.NewLambdaLogger(w, logrus.DebugLevel)
		l.SetReportCaller(true)
		return logrusadapter.New(l)
	}))
}

// withFields is a user's five-method logger over logrus, turning
// key/value pairs into logrus.Fields: core hands it flat ones.
type withFields struct{ l *logrus.Logger }

func (w withFields) entry(args []any) *logrus.Entry {
	f := logrus.Fields{}
	for i := 0; i+1 < len(args); i += 2 {
		f[fmt.Sprint(args[i])] = args[i+1]
	}
	return w.l.WithFields(f)
}
func (w withFields) Debug(msg string, args ...any)   { w.entry(args).Debug(msg) }
func (w withFields) Info(msg string, args ...any)    { w.entry(args).Info(msg) }
func (w withFields) Warning(msg string, args ...any) { w.entry(args).Warning(msg) }
func (w withFields) Error(msg string, args ...any)   { w.entry(args).Error(msg) }
func (w withFields) Exception(msg string, _ error, args ...any) {
	w.entry(args).Error(msg) // the error's fields are among args
}
