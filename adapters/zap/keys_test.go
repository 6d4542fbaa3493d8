package zapadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	"github.com/durable-go/durable-go/core/logsink"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// member is one key and value of a JSON object, in the order written.
type member struct {
	key   string
	value any
}

// members decodes the top-level members of the single JSON line in buf,
// duplicates included (a map keeps only the last of two).
func members(t *testing.T, buf *syncBuffer) []member {
	t.Helper()
	line := strings.TrimSuffix(buf.String(), "\n")
	if line == "" || strings.Contains(line, "\n") {
		t.Fatalf("want one line, got %q", buf.String())
	}
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("line %q is not a JSON object: %v", line, err)
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		out = append(out, member{tok.(string), v})
	}
	return out
}

// valuesOf returns the values of every member named key, in order.
func valuesOf(ms []member, key string) []any {
	var vs []any
	for _, m := range ms {
		if m.key == key {
			vs = append(vs, m.value)
		}
	}
	return vs
}

// isZapStack reports whether v is a stack zap wrote (one string, frames
// on lines) that names the test function fn.
func isZapStack(fn string) func(any) bool {
	return func(v any) bool {
		s, ok := v.(string)
		return ok && strings.Contains(s, fn)
	}
}

// is reports whether v is want, compared as JSON.
func is(want any) func(any) bool {
	return func(v any) bool {
		g, _ := json.Marshal(v)
		w, _ := json.Marshal(want)
		return bytes.Equal(g, w)
	}
}

// orders returns l's logger named "orders", with args bound.
func orders(l *zapadapter.Logger, args ...any) logsink.Logger {
	return zapadapter.New(l.Zap().Named("orders")).With(args...)
}

// In a Lambda-shaped line (NewLambdaLogger), a field named like a key
// zap's encoder writes itself (logger, caller, stackTrace, as well as
// timestamp, level and message) is written as "fields.<key>": the line holds
// each key once, zap's own value under it and the user's beside it.
func TestLambdaFieldsNamedLikeZapsKeys(t *testing.T) {
	t.Parallel()
	const fn = "TestLambdaFieldsNamedLikeZapsKeys"
	var line string // what the case's log returned
	callerIs := func(v any) bool { return v == line }
	tests := []struct {
		name string
		opts []zap.Option
		log  func(l *zapadapter.Logger) string // here() at a call that reports a caller
		// want maps each key to check to a test of its one value; a nil
		// test means the key must be absent.
		want map[string]func(any) bool
	}{
		{"caller with AddCaller", []zap.Option{zap.AddCaller()}, func(l *zapadapter.Logger) string { l.Info("m", "caller", "mine"); return here() }, map[string]func(any) bool{"caller": callerIs, "fields.caller": is("mine")}},
		{"bound caller with AddCaller", []zap.Option{zap.AddCaller()}, func(l *zapadapter.Logger) string { l.With("caller", "mine").Info("m"); return here() }, map[string]func(any) bool{"caller": callerIs, "fields.caller": is("mine")}},
		{"caller on a native zap call", []zap.Option{zap.AddCaller()}, func(l *zapadapter.Logger) string { l.Zap().Info("m", zap.String("caller", "mine")); return here() }, map[string]func(any) bool{"caller": callerIs, "fields.caller": is("mine")}},
		{"caller without AddCaller", nil, func(l *zapadapter.Logger) string {
			l.Info("m", "caller", "mine")
			return ""
		}, map[string]func(any) bool{"caller": nil, "fields.caller": is("mine")}},
		{"logger with Named", nil, func(l *zapadapter.Logger) string {
			orders(l).Info("m", "logger", "mine")
			return ""
		}, map[string]func(any) bool{"logger": is("orders"), "fields.logger": is("mine")}},
		{"bound logger with Named", nil, func(l *zapadapter.Logger) string {
			orders(l, "logger", "mine").Info("m")
			return ""
		}, map[string]func(any) bool{"logger": is("orders"), "fields.logger": is("mine")}},
		{"stackTrace on an Error line with AddStacktrace", []zap.Option{zap.AddStacktrace(zapcore.ErrorLevel)}, func(l *zapadapter.Logger) string {
			l.Error("m", "stackTrace", "mine")
			return ""
		}, map[string]func(any) bool{"stackTrace": isZapStack(fn), "fields.stackTrace": is("mine")}},
		{"stackTrace on a native Error call with AddStacktrace", []zap.Option{zap.AddStacktrace(zapcore.ErrorLevel)}, func(l *zapadapter.Logger) string {
			l.Zap().Error("m", zap.Strings("stackTrace", []string{"mine"}))
			return ""
		}, map[string]func(any) bool{"stackTrace": isZapStack(fn), "fields.stackTrace": is([]string{"mine"})}},
		{"stackTrace on an Exception line with AddStacktrace", []zap.Option{zap.AddStacktrace(zapcore.ErrorLevel)}, func(l *zapadapter.Logger) string {
			l.Exception("m", errors.New("e"), "stackTrace", "mine")
			return ""
		}, map[string]func(any) bool{"stackTrace": isZapStack(fn), "fields.stackTrace": is("mine"), "errorMessage": is("e")}},
		{"the error's stack stays stackTrace", []zap.Option{zap.AddStacktrace(zapcore.ErrorLevel)}, func(l *zapadapter.Logger) string {
			l.Exception("m", &stackErr{"e"})
			return ""
		}, map[string]func(any) bool{"stackTrace": is([]string{"main.f", "main.main"}), "fields.stackTrace": nil}},
		{"a stack the call gives for the error's is the user's", []zap.Option{zap.AddStacktrace(zapcore.ErrorLevel)}, func(l *zapadapter.Logger) string {
			l.Exception("m", &stackErr{"e"}, "stackTrace", []string{"mine"})
			return ""
		}, map[string]func(any) bool{"stackTrace": isZapStack(fn), "fields.stackTrace": is([]string{"mine"})}},
		{"the shape's keys, as logsink.LambdaFieldKey names them", nil, func(l *zapadapter.Logger) string {
			l.Info("m", "timestamp", 1, "level", 2, "message", 3)
			return ""
		}, map[string]func(any) bool{
			logsink.LambdaFieldKey("timestamp"): is(1), logsink.LambdaFieldKey("level"): is(2), logsink.LambdaFieldKey("message"): is(3),
		}},
		{"function, a key the encoder omits", []zap.Option{zap.AddCaller()}, func(l *zapadapter.Logger) string {
			l.Info("m", "function", "mine")
			return ""
		}, map[string]func(any) bool{"function": is("mine"), "fields.function": nil}},
		{"all at once", []zap.Option{zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel)}, func(l *zapadapter.Logger) string {
			orders(l, "logger", 1).Error("m", "caller", 2, "stackTrace", 3)
			return ""
		}, map[string]func(any) bool{
			"logger": is("orders"), "fields.logger": is(1),
			"caller":        func(v any) bool { s, _ := v.(string); return strings.HasPrefix(s, "zap/keys_test.go:") },
			"fields.caller": is(2),
			"stackTrace":    isZapStack(fn), "fields.stackTrace": is(3),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: the cases share line.
			l, buf := newLambda(zapcore.DebugLevel, tt.opts...)
			line = tt.log(l)
			ms := members(t, buf)
			seen := map[string]bool{}
			for _, m := range ms {
				if seen[m.key] {
					t.Errorf("key %q appears twice in %s", m.key, buf)
				}
				seen[m.key] = true
			}
			for key, ok := range tt.want {
				vs := valuesOf(ms, key)
				switch {
				case ok == nil && len(vs) != 0:
					t.Errorf("%s = %v, want no such key", key, vs)
				case ok != nil && (len(vs) != 1 || !ok(vs[0])):
					t.Errorf("%s = %v in %s", key, vs, buf)
				}
			}
		})
	}
}

// Through New, a zap logger of the user's own configuration writes the
// fields as they are named: zap offers no way to read a core's encoder
// configuration, so the adapter cannot know which keys the encoder writes
// itself. zap's JSON encoder then writes both, in its order: the logger
// name and caller before the fields, the stack after them (JSON readers
// keep the last of two). Neither value is lost.
func TestOwnConfigWritesFieldsAsNamed(t *testing.T) {
	t.Parallel()
	const fn = "TestOwnConfigWritesFieldsAsNamed"
	var buf syncBuffer
	cfg := zap.NewProductionEncoderConfig() // logger, caller, stacktrace
	z := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.AddSync(&buf), zapcore.DebugLevel),
		zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel)).Named("orders")
	line := func() string { zapadapter.New(z).Error("m", "logger", 1, "caller", 2, "stacktrace", 3); return here() }()
	ms := members(t, &buf)
	for key, want := range map[string][2]func(any) bool{
		"logger":     {is("orders"), is(1)},
		"caller":     {func(v any) bool { return v == line }, is(2)},
		"stacktrace": {is(3), isZapStack(fn)},
	} {
		vs := valuesOf(ms, key)
		if len(vs) != 2 || !want[0](vs[0]) || !want[1](vs[1]) {
			t.Errorf("%s = %v, want both in the order zap writes them, in %s", key, vs, buf.String())
		}
	}
	if vs := valuesOf(ms, "fields.caller"); len(vs) != 0 {
		t.Errorf("fields.caller = %v: the adapter cannot know the encoder's keys", vs)
	}
}

// A user's five-method wrapper over zap's SugaredLogger gets Exception's
// error fields among its args, as any field: on a Lambda-shaped line the
// error's stack is then "fields.stackTrace", beside zap's own stack.
func TestPlainWrapperGetsTheErrorsStackAsAField(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	z := zapadapter.NewLambdaLogger(zapcore.AddSync(&buf), zapcore.DebugLevel, zap.AddStacktrace(zapcore.ErrorLevel))
	sugared{z.Sugar()}.Error("m", "stackTrace", []string{"main.f"})
	ms := members(t, &buf)
	if vs := valuesOf(ms, "stackTrace"); len(vs) != 1 || !isZapStack("TestPlainWrapperGetsTheErrorsStackAsAField")(vs[0]) {
		t.Errorf("stackTrace = %v, want zap's stack once", vs)
	}
	if vs := valuesOf(ms, "fields.stackTrace"); len(vs) != 1 || !is([]string{"main.f"})(vs[0]) {
		t.Errorf("fields.stackTrace = %v, want the error's stack", vs)
	}
}
