package zapadapter_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

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
			checkKeysOnce(t, buf, tt.want)
		})
	}
}

// checkKeysOnce checks that the single line in buf holds no key twice and
// that each key of want holds a value its test accepts; a nil test means
// the key must be absent.
func checkKeysOnce(t *testing.T, buf *syncBuffer, want map[string]func(any) bool) {
	t.Helper()
	ms := members(t, buf)
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.key] {
			t.Errorf("key %q appears twice in %s", m.key, buf)
		}
		seen[m.key] = true
	}
	for key, ok := range want {
		vs := valuesOf(ms, key)
		switch {
		case ok == nil && len(vs) != 0:
			t.Errorf("%s = %v, want no such key in %s", key, vs, buf)
		case ok != nil && (len(vs) != 1 || !ok(vs[0])):
			t.Errorf("%s = %v in %s", key, vs, buf)
		}
	}
}

// Through New, a zap logger of the user's own configuration, without
// UniqueKeys, writes the fields as they are named: zap offers no way to
// read a core's encoder configuration, so the adapter cannot know which
// keys the encoder writes itself. zap's JSON encoder then writes both, in its order: the logger
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

// ownLogger returns an adapter over a zap logger of the user's own
// configuration cfg (a JSON encoder writing to the returned buffer) with
// UniqueKeys(cfg), a caller, stacks from error level and the name
// "orders"; opts come after UniqueKeys.
func ownLogger(cfg zapcore.EncoderConfig, opts ...zap.Option) (*zapadapter.Logger, *syncBuffer) {
	var buf syncBuffer
	core := zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.AddSync(&buf), zapcore.DebugLevel)
	opts = append([]zap.Option{zapadapter.UniqueKeys(cfg), zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel), zap.WithClock(fixedClock{testTime})}, opts...)
	return zapadapter.New(zap.New(core, opts...).Named("orders")), &buf
}

// With UniqueKeys, a zap logger of the user's own configuration (zap's
// production one: ts, level, logger, caller, msg, stacktrace) writes a
// field named like one of its encoder's keys as "fields.<key>": the line
// holds each key once, zap's value under it and the user's beside it.
func TestUniqueKeysOwnConfig(t *testing.T) {
	t.Parallel()
	const fn = "TestUniqueKeysOwnConfig"
	zapsCaller := func(v any) bool { s, _ := v.(string); return strings.HasPrefix(s, "zap/keys_test.go:") }
	// own are zap's values of the production keys on an Error line.
	own := map[string]func(any) bool{
		"ts":         is(float64(testTime.UnixNano()) / 1e9),
		"level":      is("error"),
		"logger":     is("orders"),
		"caller":     zapsCaller,
		"msg":        is("m"),
		"stacktrace": isZapStack(fn),
	}
	// users are the user's values of fields named like them.
	users := map[string]func(any) bool{
		"fields.ts": is(1), "fields.level": is(2), "fields.logger": is(3),
		"fields.caller": is(4), "fields.msg": is(5), "fields.stacktrace": is(6),
	}
	both := func(more map[string]func(any) bool) map[string]func(any) bool {
		want := map[string]func(any) bool{}
		for _, m := range []map[string]func(any) bool{own, users, more} {
			maps.Copy(want, m)
		}
		return want
	}
	clashing := []any{"ts", 1, "level", 2, "logger", 3, "caller", 4, "msg", 5, "stacktrace", 6}
	stackKey := func(cfg *zapcore.EncoderConfig) { cfg.StacktraceKey = "stackTrace" }
	errStack := is([]string{"main.f", "main.main"})
	tests := []struct {
		name string
		cfg  func(*zapcore.EncoderConfig) // changes to the production configuration
		opts []zap.Option                 // after UniqueKeys
		log  func(l *zapadapter.Logger)
		want map[string]func(any) bool
	}{
		{"call", nil, nil, func(l *zapadapter.Logger) {
			l.Error("m", clashing...)
		}, both(nil)},
		{"bound with With", nil, nil, func(l *zapadapter.Logger) {
			l.With(clashing...).Error("m")
		}, both(nil)},
		{"bound and call", nil, nil, func(l *zapadapter.Logger) {
			l.With(clashing[:6]...).Error("m", clashing[6:]...)
		}, both(nil)},
		{"native zap With and call", nil, nil, func(l *zapadapter.Logger) {
			l.Zap().With(zap.Int("ts", 1), zap.Int("level", 2), zap.Int("logger", 3)).
				Error("m", zap.Int("caller", 4), zap.Int("msg", 5), zap.Int("stacktrace", 6))
		}, both(nil)},
		{"a line without a caller or stack", nil, nil, func(l *zapadapter.Logger) {
			zapadapter.New(l.Zap().WithOptions(zap.WithCaller(false))).Info("m", clashing...)
		}, both(map[string]func(any) bool{"level": is("info"), "caller": nil, "stacktrace": nil})},
		{"Exception's own stack keeps its key", nil, nil, func(l *zapadapter.Logger) {
			l.Exception("m", &stackErr{"e"}, "msg", 5)
		}, map[string]func(any) bool{
			"stackTrace": errStack, "stacktrace": nil, "fields.stackTrace": nil,
			"msg": is("m"), "fields.msg": is(5), "errorMessage": is("e"),
		}},
		{"Exception's own stack keeps the encoder's stack key", stackKey, nil, func(l *zapadapter.Logger) {
			l.Exception("m", &stackErr{"e"})
		}, map[string]func(any) bool{"stackTrace": errStack, "fields.stackTrace": nil}},
		{"a stackTrace the Exception call passes is the user's", stackKey, nil, func(l *zapadapter.Logger) {
			l.Exception("m", &stackErr{"e"}, "stackTrace", []string{"mine"})
		}, map[string]func(any) bool{"stackTrace": isZapStack(fn), "fields.stackTrace": is([]string{"mine"})}},
		{"a zap.Namespace bound stops renaming", nil, nil, func(l *zapadapter.Logger) {
			l.Zap().With(zap.Int("level", 2), zap.Namespace("req"), zap.Int("msg", 5)).Error("m", zap.Int("caller", 4))
		}, map[string]func(any) bool{
			"msg": is("m"), "caller": zapsCaller, "fields.level": is(2),
			"req": is(map[string]any{"msg": 5, "caller": 4}), "fields.msg": nil, "fields.caller": nil,
		}},
		{"a zap.Namespace in the call stops renaming", nil, nil, func(l *zapadapter.Logger) {
			l.Zap().Error("m", zap.Int("level", 2), zap.Namespace("req"), zap.Int("msg", 5))
		}, map[string]func(any) bool{
			"msg": is("m"), "level": is("error"), "fields.level": is(2), "req": is(map[string]any{"msg": 5}), "fields.msg": nil,
		}},
		{"a zap.Namespace through the adapter's With", nil, nil, func(l *zapadapter.Logger) {
			l.With(zap.Namespace("req")).Error("m", "msg", 5)
		}, map[string]func(any) bool{"msg": is("m"), "req": is(map[string]any{"msg": 5}), "fields.msg": nil}},
		{"the option given twice renames once", nil, []zap.Option{zapadapter.UniqueKeys(zap.NewProductionEncoderConfig())}, func(l *zapadapter.Logger) {
			l.With(clashing[:6]...).Error("m", clashing[6:]...)
		}, both(map[string]func(any) bool{"fields.fields.ts": nil, "fields.fields.msg": nil})},
		{"the option given again on the logger renames once", nil, nil, func(l *zapadapter.Logger) {
			again := l.Zap().With(zap.Int("ts", 1)).WithOptions(zapadapter.UniqueKeys(zap.NewProductionEncoderConfig()))
			zapadapter.New(again).With(clashing[2:6]...).Error("m", clashing[6:]...)
		}, both(map[string]func(any) bool{"fields.fields.ts": nil, "fields.fields.level": nil, "fields.fields.msg": nil})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := zap.NewProductionEncoderConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			l, buf := ownLogger(cfg, tt.opts...)
			tt.log(l)
			checkKeysOnce(t, buf, tt.want)
		})
	}
}

// UniqueKeys given for two configurations, on a logger that tees to an
// encoder of each, renames the keys of both: each line holds each key once.
func TestUniqueKeysTwoEncoders(t *testing.T) {
	t.Parallel()
	prod, lambda := zap.NewProductionEncoderConfig(), zapadapter.LambdaEncoderConfig()
	var prodBuf, lambdaBuf syncBuffer
	core := zapcore.NewTee(
		zapcore.NewCore(zapcore.NewJSONEncoder(prod), zapcore.AddSync(&prodBuf), zapcore.DebugLevel),
		zapcore.NewCore(zapcore.NewJSONEncoder(lambda), zapcore.AddSync(&lambdaBuf), zapcore.DebugLevel))
	z := zap.New(core, zapadapter.UniqueKeys(prod), zapadapter.UniqueKeys(lambda))
	zapadapter.New(z).Warning("m", "msg", 1, "message", 2, "level", 3)
	for _, c := range []struct {
		buf                     *syncBuffer
		msgKey, otherKey, level string
	}{
		{&prodBuf, "msg", "message", "warn"},
		{&lambdaBuf, "message", "msg", "WARN"},
	} {
		checkKeysOnce(t, c.buf, map[string]func(any) bool{
			c.msgKey: is("m"), c.otherKey: nil, "level": is(c.level),
			"fields.msg": is(1), "fields.message": is(2), "fields.level": is(3),
		})
	}
}

// UniqueKeys lets the core it wraps decide whether a line is written and
// register itself: a sampler still samples, and zap.Hooks given before the
// option still run while the line is written.
func TestUniqueKeysKeepsTheCoresCheck(t *testing.T) {
	t.Parallel()
	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = zapcore.OmitKey
	newCore := func(buf *syncBuffer) zapcore.Core {
		return zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.AddSync(buf), zapcore.InfoLevel)
	}
	t.Run("sampler", func(t *testing.T) {
		t.Parallel()
		var buf syncBuffer
		// The first line of a message in an hour, then none: the clock
		// stands still, so the three lines fall in one tick.
		sampled := zapcore.NewSamplerWithOptions(newCore(&buf), time.Hour, 1, 0)
		l := zapadapter.New(zap.New(sampled, zapadapter.UniqueKeys(cfg), zap.WithClock(fixedClock{testTime})))
		for i := range 3 {
			l.Info("m", "msg", i)
		}
		checkKeysOnce(t, &buf, map[string]func(any) bool{"msg": is("m"), "fields.msg": is(0)})
	})
	t.Run("hooks", func(t *testing.T) {
		t.Parallel()
		var buf syncBuffer
		var hooked []string
		z := zap.New(newCore(&buf), zap.Hooks(func(e zapcore.Entry) error { hooked = append(hooked, e.Message); return nil }),
			zapadapter.UniqueKeys(cfg))
		zapadapter.New(z).Info("m", "msg", 1)
		checkKeysOnce(t, &buf, map[string]func(any) bool{"msg": is("m"), "fields.msg": is(1)})
		if !slices.Equal(hooked, []string{"m"}) {
			t.Errorf("hooks ran for %q, want once for m", hooked)
		}
	})
	t.Run("in a tee after another core", func(t *testing.T) {
		t.Parallel()
		var buf, other syncBuffer
		// The tee hands the option's core the entry the other core took.
		tee := zap.WrapCore(func(c zapcore.Core) zapcore.Core { return zapcore.NewTee(newCore(&other), c) })
		z := zap.New(newCore(&buf), zapadapter.UniqueKeys(cfg), tee)
		zapadapter.New(z).Info("m", "msg", 1)
		checkKeysOnce(t, &buf, map[string]func(any) bool{"msg": is("m"), "fields.msg": is(1)})
		if other.String() == "" {
			t.Error("the other core wrote nothing")
		}
	})
	t.Run("level", func(t *testing.T) {
		t.Parallel()
		var buf syncBuffer
		z := zap.New(newCore(&buf), zapadapter.UniqueKeys(cfg))
		if got := z.Level(); got != zapcore.InfoLevel {
			t.Errorf("Level() = %v, want info", got)
		}
		zapadapter.New(z).Debug("m", "msg", 1)
		if buf.String() != "" {
			t.Errorf("a debug line was written: %s", buf.String())
		}
	})
}

// NewLambdaLogger's loggers have UniqueKeys for LambdaEncoderConfig:
// given again, it renames once.
func TestLambdaLoggerWithUniqueKeysAgain(t *testing.T) {
	t.Parallel()
	l, buf := newLambda(zapcore.DebugLevel, zapadapter.UniqueKeys(zapadapter.LambdaEncoderConfig()))
	l.Info("m", "level", 1, "message", 2)
	checkKeysOnce(t, buf, map[string]func(any) bool{
		"level": is("INFO"), "message": is("m"), "fields.level": is(1), "fields.message": is(2),
		"fields.fields.level": nil, "fields.fields.message": nil,
	})
}
