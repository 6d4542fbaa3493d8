package durable_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// lockedBuffer collects the lines of a logger shared by concurrent
// invocations and branches.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, s := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		if s == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("not a JSON line (%v): %s", err, s)
		}
		m["raw"] = s
		out = append(out, m)
	}
	return out
}

func messages(lines []map[string]any) []string {
	var out []string
	for _, l := range lines {
		out = append(out, fmt.Sprint(l["msg"]))
	}
	return out
}

// debugJSON is a slog JSON handler at debug level: the logger's own level
// lets everything through.
func debugJSON(w *lockedBuffer) durable.LoggerInterface {
	return logsink.NewSlogLogger(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Item 2: with AWS_LAMBDA_LOG_LEVEL unset (as in tests, and in Lambda's
// Text format) core applies no level: a logger at debug prints Debug.
func TestUnsetLambdaLevelLetsTheLoggerDecide(t *testing.T) {
	var out lockedBuffer
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Debug("debug line")
		return 1, nil
	}, durable.WithLogger(debugJSON(&out)))
	run(t, h, nil)
	if got := messages(out.lines(t)); !reflect.DeepEqual(got, []string{"debug line"}) {
		t.Errorf("printed %q, want the debug line", got)
	}
}

// Item 2: WithLogLevel sets the level in code, read at call time.
func TestWithLogLevelReadAtCallTime(t *testing.T) {
	var out lockedBuffer
	var level slog.LevelVar
	level.Set(slog.LevelWarn)
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Info("info while at warn")
		level.Set(slog.LevelDebug)
		ctx.Logger().Debug("debug after lowering")
		_, err := durable.Step(ctx, "s", func(*durable.StepContext) (int, error) { return 1, nil })
		if err != nil {
			return 0, err
		}
		return 1, durable.Wait(ctx, "", time.Second)
	}, durable.WithLogger(debugJSON(&out)), durable.WithLogLevel(&level), durable.WithReplayLogs(durable.ReplayDebug))
	run(t, h, nil)
	lines := out.lines(t)
	got := messages(lines)
	want := []string{"debug after lowering", "info while at warn", "debug after lowering"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("printed %q, want %q (the replayed lines under ReplayDebug at debug level)", got, want)
	}
	if lines[1]["replay"] != true || lines[1]["level"] != "DEBUG" {
		t.Errorf("replayed line = %s, want level DEBUG with replay=true", lines[1]["raw"])
	}
}

// countKey counts the occurrences of key as a key of a raw JSON line.
func countKey(raw, key string) int { return strings.Count(raw, `"`+key+`":`) }

// Item 3: a caller key equal to an enrichment key appears once, with the
// caller's value, whether the logger binds enrichment or not, and
// whether the key comes from a pair, an attr, an Extra or With.
func TestCallerKeyReplacesEnrichment(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			var out lockedBuffer
			var sink durable.LoggerInterface = debugJSON(&out)
			if plain {
				sink = fiveMethods{sink}
			}
			h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
				return durable.Step(ctx, "charge", func(sc *durable.StepContext) (int, error) {
					l := sc.Logger()
					l.Info("pair", "operationName", "mine", "k", 1)
					l.LogAttrs(slog.LevelInfo, "attr", slog.Int("attempt", 9))
					l.Warning("extra", durable.Extra{"operationName": "extra"})
					l.With("operationName", "bound").Info("with")
					l.With("operationName", "bound").Info("with and call", "operationName", "call")
					l.Info("repeated", "k", 1, "k", 2)
					l.Info("untouched")
					return 1, nil
				})
			}, durable.WithLogger(sink))
			run(t, h, nil)
			want := map[string][2]any{
				"pair": {"operationName", "mine"}, "attr": {"attempt", 9.0}, "extra": {"operationName", "extra"},
				"with": {"operationName", "bound"}, "with and call": {"operationName", "call"},
				"repeated": {"k", 2.0}, "untouched": {"operationName", "charge"},
			}
			lines := out.lines(t)
			if len(lines) != len(want) {
				t.Fatalf("%d lines, want %d", len(lines), len(want))
			}
			for _, l := range lines {
				w := want[l["msg"].(string)]
				raw := l["raw"].(string)
				for _, key := range []string{"operationName", "attempt", "operationId", "executionArn", "k"} {
					if n := countKey(raw, key); n > 1 {
						t.Errorf("%q appears %d times in one line: %s", key, n, raw)
					}
				}
				if l[w[0].(string)] != w[1] {
					t.Errorf("%s = %v, want %v: %s", w[0], l[w[0].(string)], w[1], raw)
				}
				if l["operationId"] == nil || l["executionArn"] == nil {
					t.Errorf("enrichment lost: %s", raw)
				}
			}
		})
	}
}

// fiveMethods hides every optional extension: a user's plain logger.
type fiveMethods struct{ l durable.LoggerInterface }

func (f fiveMethods) Debug(msg string, args ...any)   { f.l.Debug(msg, args...) }
func (f fiveMethods) Info(msg string, args ...any)    { f.l.Info(msg, args...) }
func (f fiveMethods) Warning(msg string, args ...any) { f.l.Warning(msg, args...) }
func (f fiveMethods) Error(msg string, args ...any)   { f.l.Error(msg, args...) }
func (f fiveMethods) Exception(msg string, err error, args ...any) {
	f.l.Exception(msg, err, args...)
}

// argRecorder is a plain five-method logger that keeps the args it gets, as
// a test logger appending calls to a slice does.
type argRecorder struct {
	mu         sync.Mutex
	calls      [][]any
	errs       []error
	exceptions []bool
}

func (r *argRecorder) add(exception bool, err error, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, args)
	r.errs = append(r.errs, err)
	r.exceptions = append(r.exceptions, exception)
}
func (r *argRecorder) Debug(_ string, args ...any)                { r.add(false, nil, args) }
func (r *argRecorder) Info(_ string, args ...any)                 { r.add(false, nil, args) }
func (r *argRecorder) Warning(_ string, args ...any)              { r.add(false, nil, args) }
func (r *argRecorder) Error(_ string, args ...any)                { r.add(false, nil, args) }
func (r *argRecorder) Exception(_ string, err error, args ...any) { r.add(true, err, args) }

type declinedError struct{ code string }

func (e *declinedError) Error() string { return "declined " + e.code }

type valuer struct{ name string }

func (u valuer) LogValue() slog.Value { return slog.StringValue("user:" + u.name) }

// binder is a logger with logsink.Binder and no other extension: it counts
// its With calls and records, per call, whether it reached a bound logger
// and with which args.
type binder struct {
	argRecorder
	withs atomic.Int32
	bound []bool
}

type boundBinder struct {
	b    *binder
	args []any
}

func (b *binder) With(args ...any) logsink.Logger {
	b.withs.Add(1)
	return boundBinder{b, args}
}

func (b *binder) add(bound bool, args []any) {
	b.argRecorder.add(false, nil, args)
	b.mu.Lock()
	b.bound = append(b.bound, bound)
	b.mu.Unlock()
}

func (b *binder) Info(_ string, args ...any)                   { b.add(false, args) }
func (b *binder) Debug(_ string, args ...any)                  { b.add(false, args) }
func (b *binder) Warning(_ string, args ...any)                { b.add(false, args) }
func (b *binder) Error(_ string, args ...any)                  { b.add(false, args) }
func (b *binder) Exception(_ string, _ error, args ...any)     { b.add(false, args) }
func (b boundBinder) Info(_ string, args ...any)               { b.b.add(true, args) }
func (b boundBinder) Debug(_ string, args ...any)              { b.b.add(true, args) }
func (b boundBinder) Warning(_ string, args ...any)            { b.b.add(true, args) }
func (b boundBinder) Error(_ string, args ...any)              { b.b.add(true, args) }
func (b boundBinder) Exception(_ string, _ error, args ...any) { b.b.add(true, args) }

// Item 3: the enrichment is bound once per context or step through the
// logger's With, not passed on every call; only a call that overrides a
// bound key reaches the unbound logger, with each key once.
func TestEnrichmentBoundOncePerScope(t *testing.T) {
	b := &binder{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		for i := range 3 {
			ctx.Logger().Info("root", "i", i)
		}
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			for i := range 3 {
				sc.Logger().Info("step", "i", i)
			}
			sc.Logger().Info("override", "operationName", "mine")
			return 1, nil
		})
	}, durable.WithLogger(b))
	run(t, h, nil)
	if n := b.withs.Load(); n != 2 {
		t.Errorf("With called %d times, want 2: once for the context, once for the step", n)
	}
	if len(b.calls) != 7 {
		t.Fatalf("%d calls, want 7", len(b.calls))
	}
	for i, args := range b.calls[:6] {
		if !b.bound[i] || !reflect.DeepEqual(args, []any{"i", int64(i % 3)}) {
			t.Errorf("call %d reached the bound logger %v with args %v, want the bound logger with the call's args alone", i, b.bound[i], args)
		}
	}
	if b.bound[6] {
		t.Errorf("the overriding call reached the bound logger: its operationName would be there twice")
	}
	keys := map[string]int{}
	for j := 0; j < len(b.calls[6]); j += 2 {
		keys[fmt.Sprint(b.calls[6][j])]++
	}
	if keys["operationName"] != 1 || keys["executionArn"] != 1 || keys["attempt"] != 1 {
		t.Errorf("overriding call args = %v, want the enrichment and the call's key, each once", b.calls[6])
	}
}

// Item 4: a plain five-method logger receives flat string keys and plain
// values (as slog.Value.Any gives them: integers as int64): Extra and
// slog.Attr expanded, groups as nested maps, LogValuers resolved, and
// Exception's error fields among the args.
func TestPlainLoggerGetsFlatArgs(t *testing.T) {
	rec := &argRecorder{}
	log := logtest.NewLogger(rec, nil)
	log.Info("m", durable.Extra{"b": 2, "a": 1}, slog.Group("g", slog.Int("n", 3), slog.Group("h", slog.String("s", "x"))),
		slog.String("s", "v"), "who", valuer{"ada"})
	err := fmt.Errorf("charging: %w", &declinedError{"E1"})
	log.Exception("failed", err, "order", "o-1")
	log.LogAttrs(slog.LevelWarn, "typed", slog.Bool("ok", true))

	want := [][]any{
		{"a", int64(1), "b", int64(2), "g", map[string]any{"n": int64(3), "h": map[string]any{"s": "x"}}, "s", "v", "who", "user:ada"},
		{"errorType", "*durable_test.declinedError", "errorMessage", "charging: declined E1", "order", "o-1"},
		{"ok", true},
	}
	if !reflect.DeepEqual(rec.calls, want) {
		t.Errorf("args =\n%#v\nwant\n%#v", rec.calls, want)
	}
	if rec.errs[1] != err {
		t.Errorf("Exception got err %v, want the error logged", rec.errs[1])
	}
	for i, call := range rec.calls {
		for j := 0; j < len(call); j += 2 {
			if _, ok := call[j].(string); !ok {
				t.Errorf("call %d arg %d = %#v, want a string key", i, j, call[j])
			}
		}
	}
}

// Item 5: args handed to a plain logger are its own to keep: later calls
// do not clear or overwrite them.
func TestPlainLoggerMayRetainArgs(t *testing.T) {
	rec := &argRecorder{}
	log := logtest.NewLogger(rec, nil)
	for i := range 50 {
		log.Info("m", "i", i, slog.Int("j", i))
		log.LogAttrs(slog.LevelInfo, "typed", slog.Int("t", i))
	}
	for i := range 50 {
		got := rec.calls[2*i]
		if !reflect.DeepEqual(got, []any{"i", int64(i), "j", int64(i)}) {
			t.Fatalf("call %d args read back as %#v after later calls", 2*i, got)
		}
		if got := rec.calls[2*i+1]; !reflect.DeepEqual(got, []any{"t", int64(i)}) {
			t.Fatalf("LogAttrs call %d args read back as %#v", i, got)
		}
	}
}

// library is code that knows nothing of durable-go and takes a
// *slog.Logger.
func library(log *slog.Logger, step string) {
	log.Info("library working", "step", step)
}

// Item 6: a library handed ctx.Logger().Slog() logs once across three
// invocations, with the enrichment, through the handler's logger.
func TestSlogViewLogsOnceAcrossInvocations(t *testing.T) {
	var out lockedBuffer
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		library(ctx.Logger().Slog(), "before")
		if err := durable.Wait(ctx, "first", time.Second); err != nil {
			return 0, err
		}
		library(ctx.Logger().Slog().With("phase", 2), "middle")
		if err := durable.Wait(ctx, "second", time.Second); err != nil {
			return 0, err
		}
		library(ctx.Logger().Slog().WithGroup("lib"), "after")
		return 1, nil
	}, durable.WithLogger(debugJSON(&out)))
	exec := run(t, h, nil)
	if n := len(exec.Invocations()); n != 3 {
		t.Fatalf("%d invocations, want 3", n)
	}
	lines := out.lines(t)
	if len(lines) != 3 {
		t.Fatalf("library printed %d lines across 3 invocations, want 3 (each once):\n%v", len(lines), messages(lines))
	}
	if lines[0]["step"] != "before" || lines[1]["step"] != "middle" || lines[1]["phase"] != 2.0 {
		t.Errorf("lines = %v", lines)
	}
	if g, _ := lines[2]["lib"].(map[string]any); g["step"] != "after" {
		t.Errorf("group line = %s, want step under lib", lines[2]["raw"])
	}
	for _, l := range lines {
		if l["executionArn"] != exec.Arn() {
			t.Errorf("line without the enrichment: %s", l["raw"])
		}
	}
	var emitted int
	for _, r := range exec.EmittedLogs() {
		if r.Message == "library working" {
			emitted++
		}
	}
	if emitted != 3 {
		t.Errorf("durabletest captured %d emitted library lines, want 3", emitted)
	}
}

// Item 6: With and WithGroup on the context logger.
func TestContextLoggerWithAndWithGroup(t *testing.T) {
	var out lockedBuffer
	log := logtest.NewLogger(debugJSON(&out), nil)
	log.With("a", 1).WithGroup("req").With("id", "r-1").Info("m", "status", 200)
	lines := out.lines(t)
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	req, _ := lines[0]["req"].(map[string]any)
	if lines[0]["a"] != 1.0 || req["id"] != "r-1" || req["status"] != 200.0 {
		t.Errorf("line = %s, want a=1 and req={id, status}", lines[0]["raw"])
	}
	if n := countKey(lines[0]["raw"].(string), "req"); n != 1 {
		t.Errorf("group req written %d times: %s", n, lines[0]["raw"])
	}
}

type traceKey struct{}

// ctxHandler is a slog handler that writes the trace id it finds in the
// context of each record.
type ctxHandler struct {
	mu  *sync.Mutex
	ids *[]string
}

func (h ctxHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	id, _ := ctx.Value(traceKey{}).(string)
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.ids = append(*h.ids, r.Message+"="+id)
	return nil
}
func (h ctxHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h ctxHandler) WithGroup(string) slog.Handler      { return h }

// Item 7: the invocation's and the step's context.Context reach the
// handler's Handle, through the context logger and its slog view.
func TestGoContextReachesTheHandler(t *testing.T) {
	var ids []string
	h := ctxHandler{mu: new(sync.Mutex), ids: &ids}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Info("context")
		ctx.Logger().Slog().Info("slog view")
		ctx.Logger().Slog().InfoContext(context.WithValue(ctx.Context(), traceKey{}, "own"), "own context")
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Exception("step", errors.New("e"))
			return 1, nil
		})
	}, durable.WithLogger(logsink.NewSlogLogger(h)))
	goctx := context.WithValue(context.Background(), traceKey{}, "trace-1")
	if _, err := durabletest.NewRunner(fn).Run(goctx, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"context=trace-1", "slog view=trace-1", "own context=own", "step=trace-1"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("handler saw %q, want %q", ids, want)
	}
}

// debugByContext is a slog handler whose level depends on the context, as
// a handler that turns on debug lines for one traced request does: debug
// when the context carries a trace id, info otherwise. It writes the
// messages it handles.
type debugByContext struct {
	mu   *sync.Mutex
	msgs *[]string
}

func (h debugByContext) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelInfo || ctx.Value(traceKey{}) != nil
}

func (h debugByContext) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.msgs = append(*h.msgs, r.Message)
	return nil
}
func (h debugByContext) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h debugByContext) WithGroup(string) slog.Handler      { return h }

// Item 7: a handler's Enabled is asked with the line's context too, not
// context.Background: a handler that enables debug lines by context sees
// the invocation's, the step's, or the one a slog caller passed.
func TestGoContextReachesTheHandlersEnabled(t *testing.T) {
	var msgs []string
	h := debugByContext{mu: new(sync.Mutex), msgs: &msgs}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Debug("context")
		ctx.Logger().Debugf("context %s", "f")
		ctx.Logger().Slog().Debug("slog view")
		ctx.Logger().Slog().DebugContext(context.Background(), "slog view, background")
		if !ctx.Logger().Enabled(slog.LevelDebug) {
			ctx.Logger().Info("Enabled(debug) = false")
		}
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Debug("step")
			return 1, nil
		})
	}, durable.WithLogger(logsink.NewSlogLogger(h)))
	goctx := context.WithValue(context.Background(), traceKey{}, "trace-1")
	if _, err := durabletest.NewRunner(fn).Run(goctx, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"context", "context f", "slog view", "slog view, background", "step"}
	if !reflect.DeepEqual(msgs, want) {
		t.Errorf("handler wrote %q, want %q", msgs, want)
	}
}

// scopeTracer is a plugin that puts a scope's own trace id in the Go
// context of each child context and step attempt, as a tracer puts its
// span there.
type scopeTracer struct{ plugin.Base }

func (scopeTracer) InvocationContext(ctx context.Context, _ *plugin.InvocationInfo) context.Context {
	return ctx
}

func (scopeTracer) FunctionContext(ctx context.Context, f *plugin.FunctionInfo) context.Context {
	return context.WithValue(ctx, traceKey{}, "fn:"+f.Name)
}

func (scopeTracer) AttemptContext(ctx context.Context, a *plugin.AttemptInfo) context.Context {
	return context.WithValue(ctx, traceKey{}, fmt.Sprintf("attempt:%s#%d", a.Name, a.Attempt))
}

// Item 7: a child context's and a step attempt's own context.Context (not
// the invocation's) reach the handler's Handle, through the context logger
// and its slog view, so a span a tracer starts for the scope can land on
// the line.
func TestScopeContextReachesTheHandler(t *testing.T) {
	var ids []string
	h := ctxHandler{mu: new(sync.Mutex), ids: &ids}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			c.Logger().Info("child")
			c.Logger().Slog().Info("child view")
			return durable.Step(c, "s", func(sc *durable.StepContext) (int, error) {
				sc.Logger().Info("step")
				sc.Logger().Slog().Warn("step view")
				sc.Logger().With("k", 1).LogAttrs(slog.LevelInfo, "step with")
				return 1, nil
			})
		})
	}, durable.WithLogger(logsink.NewSlogLogger(h)), durable.WithPlugins(scopeTracer{}))
	goctx := context.WithValue(context.Background(), traceKey{}, "trace-1")
	if _, err := durabletest.NewRunner(fn).Run(goctx, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"child=fn:child", "child view=fn:child", "step=attempt:s#1", "step view=attempt:s#1", "step with=attempt:s#1"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("handler saw %q, want %q", ids, want)
	}
}

// sdkLines runs h with the SDK's own logs at debug level going to a
// buffer, and returns their lines.
func sdkLines(t *testing.T, h func(opts ...durable.Option) durabletest.Handler, svc ...durabletest.Option) []map[string]any {
	t.Helper()
	var out lockedBuffer
	handler := slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})
	_, err := durabletest.NewRunner(h(durable.WithSDKLogHandler(handler), durable.WithSDKLogLevel("durable", slog.LevelDebug)), svc...).
		Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return out.lines(t)
}

// stepAttemptLines returns the durable.step lines among lines, failing
// the test unless there are n, one per failed attempt.
func stepAttemptLines(t *testing.T, lines []map[string]any, n int) []map[string]any {
	t.Helper()
	var failed []map[string]any
	for _, l := range lines {
		if l["logger"] == "durable.step" {
			failed = append(failed, l)
		}
	}
	if len(failed) != n {
		t.Fatalf("%d durable.step lines, want one per failed attempt (%d):\n%v", len(failed), n, lines)
	}
	return failed
}

// Item 10: one SDK line per failed step attempt, with its error and the
// delay before the next attempt, under durable.step.
func TestSDKLogsEachFailedStepAttempt(t *testing.T) {
	lines := sdkLines(t, func(opts ...durable.Option) durabletest.Handler {
		return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			return durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
				if sc.Attempt() < 3 {
					return 0, fmt.Errorf("attempt %d: %w", sc.Attempt(), errors.New("unavailable"))
				}
				return 1, nil
			}, durable.WithRetryStrategy(func(error, int) durable.RetryDecision {
				return durable.RetryDecision{ShouldRetry: true, Delay: 2 * time.Second}
			}))
		}, opts...)
	})
	failed := stepAttemptLines(t, lines, 2)
	for i, l := range failed {
		if l["msg"] != "step attempt failed" || l["level"] != "WARN" || l["attempt"] != float64(i+1) ||
			l["operationName"] != "flaky" || l["retry"] != true || l["error"] != fmt.Sprintf("attempt %d: unavailable", i+1) ||
			l["nextAttemptDelaySeconds"] != float64(2) {
			t.Errorf("line %d = %s", i, l["raw"])
		}
	}
}

// Item 10: the attempt that fails the step for good logs too, with
// retry=false and no delay.
func TestSDKLogsTheLastFailedStepAttempt(t *testing.T) {
	lines := sdkLines(t, func(opts ...durable.Option) durabletest.Handler {
		return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			return durable.Step(ctx, "doomed", func(sc *durable.StepContext) (int, error) {
				return 0, fmt.Errorf("attempt %d: %w", sc.Attempt(), errors.New("declined"))
			}, durable.WithRetryStrategy(func(_ error, attempt int) durable.RetryDecision {
				return durable.RetryDecision{ShouldRetry: attempt < 2, Delay: time.Second}
			}))
		}, opts...)
	})
	failed := stepAttemptLines(t, lines, 2)
	last := failed[1]
	if last["msg"] != "step attempt failed" || last["level"] != "WARN" || last["attempt"] != float64(2) ||
		last["operationName"] != "doomed" || last["retry"] != false || last["error"] != "attempt 2: declined" ||
		last["nextAttemptDelaySeconds"] != nil {
		t.Errorf("last attempt's line = %s, want attempt 2, its error and retry=false without a delay", last["raw"])
	}
}

// countingFailService fails every checkpoint call, counting them.
type countingFailService struct{ calls *atomic.Int32 }

func (s countingFailService) Checkpoint(context.Context, protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.calls.Add(1)
	return nil, &protocol.APIError{Operation: "CheckpointDurableExecution", Code: "TooManyRequestsException", StatusCode: 429}
}

func (s countingFailService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return nil, errors.New("unused")
}

// Item 10: one SDK line per failed checkpoint call, under
// durable.checkpoint, with the error.
func TestSDKLogsFailedCheckpointCalls(t *testing.T) {
	const event = `{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t",
		"InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`
	var out lockedBuffer
	var calls atomic.Int32
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "s", func(*durable.StepContext) (int, error) { return 1, nil })
	}, durable.WithServiceForTest(countingFailService{&calls}),
		durable.WithSDKLogHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	_, _ = fn.Handle(context.Background(), []byte(event))
	n := 0
	for _, l := range out.lines(t) {
		if l["logger"] == "durable.checkpoint" && l["msg"] == "checkpoint failed" {
			n++
			if !strings.Contains(fmt.Sprint(l["error"]), "TooManyRequestsException") {
				t.Errorf("line without the error: %s", l["raw"])
			}
		}
	}
	if calls.Load() == 0 || n != int(calls.Load()) {
		t.Errorf("%d checkpoint-failed lines for %d failed calls, want one each", n, calls.Load())
	}
}

// Item 10: a child context re-run to rebuild a large result says so under
// durable.child at debug level.
func TestSDKLogsChildReRun(t *testing.T) {
	lines := sdkLines(t, func(opts ...durable.Option) durabletest.Handler {
		return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
			v, err := durable.RunInChildContext(ctx, "big", func(c *durable.Context) (string, error) {
				return durable.Step(c, "make", func(*durable.StepContext) (string, error) { return bigString, nil })
			})
			if err != nil {
				return 0, err
			}
			return len(v), durable.Wait(ctx, "", time.Second)
		}, opts...)
	})
	n := 0
	for _, l := range lines {
		if l["logger"] == "durable.child" && l["operationName"] == "big" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d durable.child lines, want 1 for the one re-run", n)
	}
}

// Item 4: a plain logger's Exception receives Exception calls, a nil
// error included, with the error fields among the args.
func TestPlainLoggerException(t *testing.T) {
	rec := &argRecorder{}
	log := logtest.NewLogger(rec, nil)
	log.Exception("no error", nil, "k", "v")
	log.Error("plain error")
	if len(rec.calls) != 2 || !reflect.DeepEqual(rec.calls[0], []any{"k", "v"}) || rec.errs[0] != nil {
		t.Fatalf("calls = %#v", rec.calls)
	}
	if !rec.exceptions[0] || rec.exceptions[1] {
		t.Errorf("Exception reached the logger's Exception = %v, Error = %v; want true, false", rec.exceptions[0], rec.exceptions[1])
	}
}

// Exception's error fields are at the top level of the records the local
// runner captures, as in the printed line, when the logger has groups;
// the call's own fields stay in the group.
func TestCapturedExceptionInGroupKeepsErrorFieldsTopLevel(t *testing.T) {
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().WithGroup("req").Exception("failed", fmt.Errorf("charge: %w", errors.New("declined")), "status", 502)
		return 0, nil
	})
	exec, err := durabletest.NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range exec.Logs() {
		if r.Message != "failed" {
			continue
		}
		found = true
		req, _ := r.Fields["req"].(map[string]any)
		if r.Fields["errorMessage"] != "charge: declined" || r.Fields["errorType"] == nil || req["status"] != 502 || req["errorType"] != nil {
			t.Errorf("fields = %v, want errorType and errorMessage at the top level, status under req", r.Fields)
		}
	}
	if !found {
		t.Fatalf("no record of the Exception call in %v", exec.Logs())
	}
}
