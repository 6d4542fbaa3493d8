package zerologadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logtest"
	"github.com/rs/zerolog"
)

// TestContract runs the shared adapter conformance suite against a Logger
// over NewLambdaLogger.
func TestContract(t *testing.T) {
	logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
		return zerologadapter.New(zerologadapter.NewLambdaLogger(w, zerolog.DebugLevel))
	}, logtest.Plain(func(w io.Writer) durable.LoggerInterface {
		return fields{zerologadapter.NewLambdaLogger(w, zerolog.DebugLevel)}
	}), logtest.Source("caller", func(w io.Writer) durable.LoggerInterface {
		return zerologadapter.New(zerologadapter.NewLambdaLogger(w, zerolog.DebugLevel).With().Caller().Logger())
	}))
}

// fields is a user's five-method logger over zerolog, passing args to
// Event.Fields, which takes key/value pairs: core hands it flat ones.
type fields struct{ zl zerolog.Logger }

func (l fields) Debug(msg string, args ...any)   { l.zl.Debug().Fields(args).Msg(msg) }
func (l fields) Info(msg string, args ...any)    { l.zl.Info().Fields(args).Msg(msg) }
func (l fields) Warning(msg string, args ...any) { l.zl.Warn().Fields(args).Msg(msg) }
func (l fields) Error(msg string, args ...any)   { l.zl.Error().Fields(args).Msg(msg) }
func (l fields) Exception(msg string, _ error, args ...any) {
	l.zl.Error().Fields(args).Msg(msg) // the error's fields are among args
}

// newPlain returns a Logger over a plain zerolog.Logger (zerolog's own
// field names and level names, no timestamp) writing to a buffer.
func newPlain(level zerolog.Level) (*zerologadapter.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return zerologadapter.New(zerolog.New(&buf).Level(level)), &buf
}

// decode returns the JSON objects in buf, one per line, numbers as
// json.Number.
func decode(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, s := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if s == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", s, err)
		}
		out = append(out, m)
	}
	return out
}

// only decodes buf, which must hold exactly one line.
func only(t *testing.T, buf *bytes.Buffer) map[string]any {
	t.Helper()
	lines := decode(t, buf)
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1:\n%s", len(lines), buf)
	}
	return lines[0]
}

func TestLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(*zerologadapter.Logger)
		want string
	}{
		{"Debug", func(l *zerologadapter.Logger) { l.Debug("m") }, "debug"},
		{"Info", func(l *zerologadapter.Logger) { l.Info("m") }, "info"},
		{"Warning", func(l *zerologadapter.Logger) { l.Warning("m") }, "warn"},
		{"Error", func(l *zerologadapter.Logger) { l.Error("m") }, "error"},
		{"Exception", func(l *zerologadapter.Logger) { l.Exception("m", errors.New("x")) }, "error"},
		{"LogAttrsBelowDebug", func(l *zerologadapter.Logger) { l.LogAttrs(slog.LevelDebug-4, "m") }, "debug"},
		{"LogAttrsBetweenInfoAndWarn", func(l *zerologadapter.Logger) { l.LogAttrs(slog.LevelInfo+2, "m") }, "info"},
		{"LogAttrsAboveError", func(l *zerologadapter.Logger) { l.LogAttrs(slog.LevelError+4, "m") }, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newPlain(zerolog.DebugLevel)
			tt.log(l)
			line := only(t, buf)
			if line["level"] != tt.want || line["message"] != "m" {
				t.Errorf("got level %v message %v, want %q and \"m\"", line["level"], line["message"], tt.want)
			}
		})
	}
}

func TestLevelFiltering(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		level   zerolog.Level
		enabled map[slog.Level]bool
	}{
		{"Debug", zerolog.DebugLevel, map[slog.Level]bool{slog.LevelDebug: true, slog.LevelInfo: true, slog.LevelWarn: true, slog.LevelError: true}},
		{"Warn", zerolog.WarnLevel, map[slog.Level]bool{slog.LevelDebug: false, slog.LevelInfo: false, slog.LevelWarn: true, slog.LevelError: true}},
		{"Disabled", zerolog.Disabled, map[slog.Level]bool{slog.LevelDebug: false, slog.LevelInfo: false, slog.LevelWarn: false, slog.LevelError: false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newPlain(tt.level)
			l.Debug("d")
			l.Info("i")
			l.Warning("w")
			l.Error("e")
			wantLines := 0
			for lvl, want := range tt.enabled {
				if got := l.Enabled(lvl); got != want {
					t.Errorf("Enabled(%v) = %v, want %v", lvl, got, want)
				}
				if want {
					wantLines++
				}
			}
			if got := len(decode(t, buf)); got != wantLines {
				t.Errorf("wrote %d lines, want %d:\n%s", got, wantLines, buf)
			}
		})
	}
}

// point has no typed zerolog method: it goes through zerolog's
// Interface (JSON).
type point struct{ X, Y int }

// lazy is a slog.LogValuer.
type lazy struct{ v string }

func (l lazy) LogValue() slog.Value { return slog.StringValue("resolved:" + l.v) }

// TestFieldEncoding checks the JSON text each kind of value becomes, so a
// typed field cannot silently turn into a string or a reflected object.
func TestFieldEncoding(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		args []any
		want string // the line's fields, between the level and the closing brace
	}{
		{"String", []any{"k", "v"}, `"k":"v"`},
		{"Int", []any{"k", 42}, `"k":42`},
		{"Int64", []any{"k", int64(-7)}, `"k":-7`},
		{"Uint64", []any{"k", uint64(1 << 63)}, `"k":9223372036854775808`},
		{"Uint8", []any{"k", uint8(8)}, `"k":8`},
		{"Float64", []any{"k", 3.5}, `"k":3.5`},
		{"Float32", []any{"k", float32(0.5)}, `"k":0.5`},
		{"Bool", []any{"k", true}, `"k":true`},
		{"BoolFalse", []any{"k", false}, `"k":false`},
		{"NegativeFloat", []any{"k", -0.25}, `"k":-0.25`},
		{"DurationAsZerologConfigures", []any{"k", 1500 * time.Millisecond}, `"k":1500`},
		{"TimeAsZerologConfigures", []any{"k", when}, `"k":"2026-01-02T03:04:05Z"`},
		{"Error", []any{"k", errors.New("boom")}, `"k":"boom"`},
		{"Nil", []any{"k", nil}, `"k":null`},
		{"Strings", []any{"k", []string{"a", "b"}}, `"k":["a","b"]`},
		{"Struct", []any{"k", point{1, 2}}, `"k":{"X":1,"Y":2}`},
		{"LogValuer", []any{"k", lazy{"x"}}, `"k":"resolved:x"`},
		{"SlogValue", []any{"k", slog.IntValue(3)}, `"k":3`},
		{"SlogAttr", []any{slog.Int64("n", 9)}, `"n":9`},
		{"SlogAttrLogValuer", []any{slog.Any("u", lazy{"y"})}, `"u":"resolved:y"`},
		{"Group", []any{slog.Group("g", slog.String("a", "b"), slog.Group("h", slog.Int("c", 1)))}, `"g":{"a":"b","h":{"c":1}}`},
		{"EmptyGroupOmitted", []any{slog.Group("g"), "k", "v"}, `"k":"v"`},
		{"InlineGroup", []any{slog.Group("", slog.String("a", "b"))}, `"a":"b"`},
		{"ZeroAttrOmitted", []any{slog.Attr{}, "k", "v"}, `"k":"v"`},
		{"ExtraSorted", []any{durable.Extra{"b": 2, "a": "x", "c": true}}, `"a":"x","b":2,"c":true`},
		{"ExtraAsValueIsAValue", []any{"k", durable.Extra{"a": 1}}, `"k":{"a":1}`},
		{"DanglingKey", []any{"k", "v", "dangling"}, `"k":"v","!BADKEY":"dangling"`},
		{"NonStringKey", []any{42, "k", "v"}, `"!BADKEY":42,"k":"v"`},
		{"CallOrderKept", []any{"z", 1, "a", 2}, `"z":1,"a":2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newPlain(zerolog.DebugLevel)
			l.Info("", tt.args...)
			want := `{"level":"info",` + tt.want + "}\n"
			if got := buf.String(); got != want {
				t.Errorf("got  %s want %s", got, want)
			}
		})
	}
}

// TestLogAttrs checks that LogAttrs writes the same line as the ...any
// path for the same attributes.
func TestLogAttrs(t *testing.T) {
	t.Parallel()
	attrs := []slog.Attr{
		slog.String("s", "v"), slog.Int("n", 1), slog.Uint64("u", 2), slog.Float64("f", 0.5),
		slog.Bool("b", true), slog.Duration("d", time.Second), slog.Time("t", time.Unix(0, 0).UTC()),
		slog.Group("g", slog.Any("x", lazy{"z"})), slog.Any("e", errors.New("boom")),
	}
	typed, typedBuf := newPlain(zerolog.DebugLevel)
	typed.LogAttrs(slog.LevelWarn, "m", attrs...)
	boxed, boxedBuf := newPlain(zerolog.DebugLevel)
	args := make([]any, len(attrs))
	for i, a := range attrs {
		args[i] = a
	}
	boxed.Warning("m", args...)
	if typedBuf.String() != boxedBuf.String() {
		t.Errorf("LogAttrs wrote\n%s... args wrote\n%s", typedBuf, boxedBuf)
	}
	want := `{"level":"warn","s":"v","n":1,"u":2,"f":0.5,"b":true,"d":1000,"t":"1970-01-01T00:00:00Z","g":{"x":"resolved:z"},"e":"boom","message":"m"}` + "\n"
	if typedBuf.String() != want {
		t.Errorf("got  %s want %s", typedBuf, want)
	}
}

// TestLogValuerResolvedOnlyWhenEmitted checks that a dropped line never
// calls LogValue.
func TestLogValuerResolvedOnlyWhenEmitted(t *testing.T) {
	t.Parallel()
	l, _ := newPlain(zerolog.InfoLevel)
	var calls countingValuer
	l.Debug("dropped", "v", &calls)
	l.LogAttrs(slog.LevelDebug, "dropped", slog.Any("v", &calls))
	if calls.n != 0 {
		t.Errorf("LogValue called %d times for dropped lines, want 0", calls.n)
	}
	l.Info("emitted", "v", &calls)
	if calls.n != 1 {
		t.Errorf("LogValue called %d times for one emitted line, want 1", calls.n)
	}
}

type countingValuer struct{ n int }

func (c *countingValuer) LogValue() slog.Value { c.n++; return slog.IntValue(c.n) }

type tracedError struct{ msg string }

func (e *tracedError) Error() string        { return e.msg }
func (e *tracedError) StackTrace() []string { return []string{"main.f", "main.main"} }

type nilPointerError struct{ msg string }

func (e *nilPointerError) Error() string { return e.msg } // panics on a nil receiver

func TestException(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		args []any
		want string
	}{
		{"PlainError", errors.New("boom"), nil,
			`"errorType":"*errors.errorString","errorMessage":"boom"`},
		{"StackTrace", &tracedError{"bad"}, nil,
			`"errorType":"*zerologadapter_test.tracedError","errorMessage":"bad","stackTrace":["main.f","main.main"]`},
		{"WrappedStackTrace", fmt.Errorf("ctx: %w", &tracedError{"bad"}), nil,
			`"errorType":"*zerologadapter_test.tracedError","errorMessage":"ctx: bad","stackTrace":["main.f","main.main"]`},
		{"JoinedStackTrace", errors.Join(errors.New("a"), &tracedError{"b"}), nil,
			`"errorType":"*zerologadapter_test.tracedError","errorMessage":"a\nb","stackTrace":["main.f","main.main"]`},
		{"ErrorFieldsBeforeArgs", errors.New("boom"), []any{"k", "v"},
			`"errorType":"*errors.errorString","errorMessage":"boom","k":"v"`},
		{"NilError", nil, []any{"k", "v"}, `"k":"v"`},
		{"NilPointerInsideError", (*nilPointerError)(nil), nil,
			`"errorType":"*zerologadapter_test.nilPointerError","errorMessage":"<nil>"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newPlain(zerolog.DebugLevel)
			l.Exception("failed", tt.err, tt.args...)
			want := `{"level":"error",` + tt.want + `,"message":"failed"}` + "\n"
			if got := buf.String(); got != want {
				t.Errorf("got  %s want %s", got, want)
			}
		})
	}
}

// TestExceptionUsesErrorStackMarshaler is not parallel: it sets zerolog's
// package-level ErrorStackMarshaler, as a user configuring stacks would.
func TestExceptionUsesErrorStackMarshaler(t *testing.T) {
	saved := zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorStackMarshaler = saved })
	zerolog.ErrorStackMarshaler = func(err error) any { return []string{"frame for " + err.Error()} }

	tests := []struct {
		name string
		err  error
		want string
	}{
		{"MarshalerStack", errors.New("boom"), `"stackTrace":["frame for boom"]`},
		{"ErrorsOwnStackWins", &tracedError{"bad"}, `"stackTrace":["main.f","main.main"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, buf := newPlain(zerolog.DebugLevel)
			l.Exception("failed", tt.err)
			if !strings.Contains(buf.String(), tt.want) {
				t.Errorf("line %s lacks %s", buf, tt.want)
			}
		})
	}
}

// A marshaler that calls the error's methods, as pkgerrors.MarshalStack
// calls Unwrap, panics on a typed nil error whose methods dereference
// their receiver: the line is still written, without a stack. Not
// parallel, as above.
func TestExceptionSurvivesAPanickingErrorStackMarshaler(t *testing.T) {
	saved := zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorStackMarshaler = saved })
	zerolog.ErrorStackMarshaler = func(err error) any { return []string{"frame for " + err.Error()} }

	l, buf := newPlain(zerolog.DebugLevel)
	var err *derefError
	l.Exception("typed nil", err)
	if !strings.Contains(buf.String(), `"errorType":"*zerologadapter_test.derefError"`) || strings.Contains(buf.String(), "stackTrace") {
		t.Errorf("line = %s, want errorType and no stackTrace", buf)
	}
}

// derefError's Error dereferences its receiver, as most errors' do.
type derefError struct{ msg string }

func (e *derefError) Error() string { return e.msg }

// An error value among the args whose Error method panics (a typed nil
// pointer, or a broken error type) is written, as zap, logrus and slog
// write it, rather than taking the function down or vanishing from the
// line; zerolog's own AnErr calls Error unguarded and drops typed nils.
func TestErrorFieldWhoseErrorPanics(t *testing.T) {
	t.Parallel()
	var typedNil *derefError
	tests := []struct {
		name string
		log  func(l *zerologadapter.Logger)
		want string
	}{
		{"typed nil", func(l *zerologadapter.Logger) { l.Info("m", "cause", typedNil) }, `"cause":"<nil>"`},
		{"typed nil bound", func(l *zerologadapter.Logger) { l.With("cause", typedNil).Info("m") }, `"cause":"<nil>"`},
		{"panicking", func(l *zerologadapter.Logger) { l.Info("m", "cause", panickyError{}) }, `"cause":"%!v(PANIC=Error method: broken)"`},
		{"panicking attr", func(l *zerologadapter.Logger) {
			l.LogAttrs(slog.LevelWarn, "m", slog.Any("cause", panickyError{}))
		}, `"cause":"%!v(PANIC=Error method: broken)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newPlain(zerolog.DebugLevel)
			tt.log(l)
			if got := only(t, buf); got["message"] != "m" || !strings.Contains(buf.String(), tt.want) {
				t.Errorf("line = %s, want it to hold %s", buf, tt.want)
			}
		})
	}
}

// A value whose MarshalJSON panics is written with the panic, as
// log/slog's JSON handler writes it, rather than taking the function down;
// the line keeps its other fields.
func TestValueWhoseMarshalJSONPanics(t *testing.T) {
	t.Parallel()
	l, buf := newPlain(zerolog.DebugLevel)
	l.Info("m", "a", 1, "v", panickyJSON{}, "b", 2)
	l.With("v", []panickyJSON{{}}).Info("m")
	lines := decode(t, buf)
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2: %s", len(lines), buf)
	}
	if got := lines[0]; got["v"] != "!PANIC: broken" || fmt.Sprintf("%v %v", got["a"], got["b"]) != "1 2" {
		t.Errorf("line = %v, want v = !PANIC: broken between a and b", got)
	}
	if got := lines[1]["v"]; got != "!PANIC: broken" {
		t.Errorf("bound v = %v, want !PANIC: broken", got)
	}
}

// panickyJSON's MarshalJSON panics.
type panickyJSON struct{}

func (panickyJSON) MarshalJSON() ([]byte, error) { panic("broken") }

// panickyError's Error panics.
type panickyError struct{}

func (panickyError) Error() string { panic("broken") }

func TestWith(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *zerologadapter.Logger)
		want []string
	}{
		{"BoundOnEveryLine", func(l *zerologadapter.Logger) {
			b := l.With("executionArn", "arn:1", slog.Int("attempt", 2))
			b.Info("a")
			b.Warning("b", "k", "v")
		}, []string{
			`{"level":"info","executionArn":"arn:1","attempt":2,"message":"a"}`,
			`{"level":"warn","executionArn":"arn:1","attempt":2,"k":"v","message":"b"}`,
		}},
		{"ParentUnchanged", func(l *zerologadapter.Logger) {
			_ = l.With("executionArn", "arn:1")
			l.Info("parent")
		}, []string{`{"level":"info","message":"parent"}`}},
		{"Chained", func(l *zerologadapter.Logger) {
			l.With("a", 1).(*zerologadapter.Logger).With("b", 2).Info("m")
		}, []string{`{"level":"info","a":1,"b":2,"message":"m"}`}},
		{"ArgKinds", func(l *zerologadapter.Logger) {
			l.With(durable.Extra{"y": 1, "x": 0}, slog.Group("g", slog.String("s", "v")), "dangling").Info("m")
		}, []string{`{"level":"info","x":0,"y":1,"g":{"s":"v"},"!BADKEY":"dangling","message":"m"}`}},
		{"CallFieldAfterBound", func(l *zerologadapter.Logger) {
			l.With("operationName", "bound").Info("m", "operationName", "call")
		}, []string{`{"level":"info","operationName":"bound","operationName":"call","message":"m"}`}},
		{"NoArgs", func(l *zerologadapter.Logger) {
			l.With().Info("m")
		}, []string{`{"level":"info","message":"m"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, buf := newPlain(zerolog.DebugLevel)
			tt.log(l)
			want := strings.Join(tt.want, "\n") + "\n"
			if got := buf.String(); got != want {
				t.Errorf("got\n%swant\n%s", got, want)
			}
		})
	}
}

// TestKeepsTheUsersConfiguration checks that New changes nothing about the
// zerolog.Logger it wraps: its fields, hooks and level apply, and Zerolog
// hands it back.
func TestKeepsTheUsersConfiguration(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	hook := zerolog.HookFunc(func(e *zerolog.Event, _ zerolog.Level, _ string) { e.Str("hooked", "yes") })
	z := zerolog.New(&buf).Level(zerolog.InfoLevel).With().Str("service", "orders").Logger().Hook(hook)
	l := zerologadapter.New(z)

	l.Debug("dropped")
	l.Info("kept", "k", 1)
	native := l.Zerolog()
	native.Info().Msg("native")

	want := `{"level":"info","service":"orders","k":1,"hooked":"yes","message":"kept"}` + "\n" +
		`{"level":"info","service":"orders","hooked":"yes","message":"native"}` + "\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	if got := l.With("a", 1).(*zerologadapter.Logger).Zerolog().GetLevel(); got != zerolog.InfoLevel {
		t.Errorf("bound logger's level = %v, want info", got)
	}
}

// TestCaller checks that zerolog's Caller() points at the code calling the
// Logger, not at the adapter.
func TestCaller(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *zerologadapter.Logger) int // returns the line to expect
	}{
		{"Direct", func(l *zerologadapter.Logger) int {
			l.Info("m")
			return callerLine() - 1
		}},
		{"LogAttrs", func(l *zerologadapter.Logger) int {
			l.LogAttrs(slog.LevelInfo, "m")
			return callerLine() - 1
		}},
		{"Exception", func(l *zerologadapter.Logger) int {
			l.Exception("m", nil)
			return callerLine() - 1
		}},
		{"With", func(l *zerologadapter.Logger) int {
			l.With("k", 1).Info("m")
			return callerLine() - 1
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			l := zerologadapter.New(zerolog.New(&buf).With().Caller().Logger())
			wantLine := tt.log(l)
			caller, _ := only(t, &buf)["caller"].(string)
			want := fmt.Sprintf("adapter_test.go:%d", wantLine)
			if filepath.Base(caller) != want {
				t.Errorf("caller = %q, want …/%s", caller, want)
			}
		})
	}
}

// callerLine returns the line number it is called from.
func callerLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// TestDisabledCallsDoNotAllocate checks the level check comes before any
// work: a line below the logger's level allocates nothing.
func TestDisabledCallsDoNotAllocate(t *testing.T) {
	l := zerologadapter.New(zerolog.New(io.Discard).Level(zerolog.InfoLevel))
	tests := []struct {
		name string
		log  func()
	}{
		{"ConstantArgs", func() { l.Debug("dropped", "k", "v", "n", 1, durable.Extra(nil)) }},
		{"LogAttrs", func() { l.LogAttrs(slog.LevelDebug, "dropped", slog.String("k", "v"), slog.Int("n", 1)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, tt.log); allocs != 0 {
				t.Errorf("dropped call allocated %v times, want 0", allocs)
			}
		})
	}
}

// TestEmittedCallAllocations checks what an emitted line through a
// context logger costs core and the adapter (not parallel: AllocsPerRun
// counts every goroutine's allocations): nothing for up to five fields,
// the record's inline ones, and one allocation for the fields past them.
// The values are small integers, which Go boxes without allocating.
func TestEmittedCallAllocations(t *testing.T) {
	l := logtest.NewLogger(zerologadapter.New(zerolog.New(io.Discard)).With(logtest.Enrichment...), nil)
	tests := []struct {
		name string
		want float64
		log  func()
	}{
		{"5 pairs", 0, func() { l.Info("m", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5) }},
		{"5 attrs", 0, func() {
			l.LogAttrs(slog.LevelInfo, "m", slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4), slog.Int("e", 5))
		}},
		{"6 pairs", 1, func() { l.Info("m", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6) }},
		{"8 pairs", 1, func() { l.Info("m", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6, "g", 7, "h", 8) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, tt.log); allocs != tt.want {
				t.Errorf("emitted call allocated %v times, want %v", allocs, tt.want)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	var w lockedWriter
	l := zerologadapter.New(zerologadapter.NewLambdaLogger(&w, zerolog.DebugLevel))
	const goroutines, perGoroutine = 8, 100
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := l.With("g", g)
			for i := range perGoroutine {
				b.Info("m", "i", i, durable.Extra{"b": 1, "a": 2})
			}
		}()
	}
	wg.Wait()
	if got := len(decode(t, &w.buf)); got != goroutines*perGoroutine {
		t.Errorf("got %d lines, want %d", got, goroutines*perGoroutine)
	}
}

type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
