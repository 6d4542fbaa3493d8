package logtest

import (
	"context"
	"fmt"

	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// These cases log through a durable context logger, core and adapter
// together, as a handler does: what core hands the logger must come out
// as one Lambda-shaped object per line holding each key once.

// runHandler runs fn as a one-invocation durable handler whose logger is l
// and whose level (WithLogLevel) is debug.
func runHandler(t *testing.T, l durable.LoggerInterface, fn func(ctx *durable.Context)) {
	t.Helper()
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		fn(ctx)
		return 0, nil
	}, durable.WithLogger(l), durable.WithLogLevel(slog.LevelDebug))
	exec, err := durabletest.NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		t.Fatalf("running the handler: %v", err)
	}
	if exec.Status() != "SUCCEEDED" {
		t.Fatalf("handler ended %s: %+v", exec.Status(), exec.Error())
	}
}

// inStep runs fn in a step named "charge", whose lines carry operationId,
// operationName and attempt besides the execution's enrichment.
func inStep(ctx *durable.Context, fn func(l durable.Logger)) {
	_, _ = durable.Step(ctx, "charge", func(sc *durable.StepContext) (int, error) {
		fn(sc.Logger())
		return 0, nil
	})
}

func durableCases() []testCase {
	return []testCase{
		{name: "Durable/OneKeyPerName", log: durableLog(func(l durable.Logger) {
			l.Info("pair", "operationName", "mine", "k", 1)
			l.LogAttrs(slog.LevelInfo, "attr", slog.Int("attempt", 9))
			l.Warning("extra", durable.Extra{"operationName": "extra"})
			l.With("operationName", "bound").Info("bound")
			l.With("operationName", "bound").Error("bound and call", "operationName", "call")
			l.Info("repeated", "k", 1, "k", 2, slog.Int("k", 3))
			l.Slog().Info("slog view", "operationName", "view")
			l.Exception("exception", fmt.Errorf("charge: %w", &paymentError{"E1"}), "errorMessage", "mine")
		}), check: func(o *output) {
			o.t.Helper()
			want := map[string][2]any{
				"pair": {"operationName", "mine"}, "attr": {"attempt", 9}, "extra": {"operationName", "extra"},
				"bound": {"operationName", "bound"}, "bound and call": {"operationName", "call"},
				"repeated": {"k", 3}, "slog view": {"operationName", "view"}, "exception": {"errorMessage", "mine"},
			}
			o.wantLines(len(want))
			for i := range o.lines {
				l := o.line(i)
				l.uniqueKeys()
				w, ok := want[fmt.Sprint(l.fields["message"])]
				if !ok {
					o.t.Errorf("line %d: unexpected message\n%s", i+1, l.raw)
					continue
				}
				l.has(w[0].(string), w[1])
				l.has("executionArn", aNonEmptyString)
				l.has("operationId", aNonEmptyString)
			}
		}},
		{name: "Durable/Enrichment", log: durableLog(func(l durable.Logger) {
			l.Info("enriched")
		}), check: oneLine("INFO", "enriched", func(l *line) {
			l.uniqueKeys()
			l.has("executionArn", aNonEmptyString)
			l.has("requestId", aNonEmptyString)
			l.has("operationId", aNonEmptyString)
			l.has("operationName", "charge")
			l.has("attempt", 1)
		})},
		{name: "Durable/Shape", log: durableLog(func(l durable.Logger) {
			l.Debug("debug")
			l.Info("info")
			l.Warning("warning")
			l.Error("error")
			l.Exception("exception", fmt.Errorf("charge: %w", fmt.Errorf("card: %w", &paymentError{"E2"})))
		}), check: func(o *output) {
			o.t.Helper()
			o.wantLines(5)
			for i, lvl := range []string{"DEBUG", "INFO", "WARN", "ERROR", "ERROR"} {
				o.line(i).level(lvl)
				o.line(i).uniqueKeys()
			}
			// errorType names the most specific error, through fmt's
			// wrappers.
			o.line(4).has("errorType", "*logtest.paymentError")
			o.line(4).has("errorMessage", "charge: card: card declined: E2")
		}},
		{name: "Durable/WithGroup", log: durableLog(func(l durable.Logger) {
			l.With("a", 1).WithGroup("req").With("id", "r-1").Info("grouped", "status", 200)
		}), check: oneLine("INFO", "grouped", func(l *line) {
			l.uniqueKeys()
			l.has("a", 1)
			l.has("req", map[string]any{"id": "r-1", "status": 200})
			l.has("operationName", "charge")
		})},
		// Exception's error fields, like the enrichment, stay at the top
		// level under WithGroup, where CloudWatch queries (filter
		// errorType = ...) and Lambda's own error lines have them; a key
		// of the call with the same name stays in the group.
		{name: "Durable/ExceptionInGroup", log: durableLog(func(l durable.Logger) {
			l.WithGroup("req").With("id", "r-1").Exception("failed",
				fmt.Errorf("charge: %w", &paymentError{"E4"}), "status", 502, "errorType", "mine")
		}), check: oneLine("ERROR", "failed", func(l *line) {
			l.uniqueKeys()
			l.has("errorType", "*logtest.paymentError")
			l.has("errorMessage", "charge: card declined: E4")
			l.has("req", map[string]any{"id": "r-1", "status": 502, "errorType": "mine"})
			l.has("operationName", "charge")
		})},
		// A parallel branch whose wait ends while another branch still
		// works resumes in the same invocation and replays up to its
		// wait: the line it logged before the wait prints once, and the
		// one after it comes from the same invocation.
		{name: "Durable/ResumedBranchLogsOnce", log: func(t *testing.T, l durable.LoggerInterface) (bool, string) {
			runHandler(t, l, resumedBranch)
			return true, ""
		}, check: func(o *output) {
			o.t.Helper()
			o.wantLines(2)
			o.line(0).has("message", "before the wait")
			o.line(1).has("message", "after the wait")
			if a, b := o.line(0).fields["requestId"], o.line(1).fields["requestId"]; a != b {
				o.t.Errorf("the branch logged before its wait in request %v and after it in %v: it did not resume in the same invocation", a, b)
			}
		}},
	}
}

// resumedBranch runs a parallel branch that logs, waits 2 s and logs
// again, beside one that works (durabletest.Sleep) until the first is
// done.
func resumedBranch(ctx *durable.Context) {
	done := make(chan struct{})
	_, _ = durable.Parallel(ctx, "p", []durable.Branch[int]{
		{Name: "a", Func: func(c *durable.Context) (int, error) {
			c.Logger().Info("before the wait")
			if err := durable.Wait(c, "w", 2*time.Second); err != nil {
				return 0, err
			}
			c.Logger().Info("after the wait")
			close(done)
			return 0, nil
		}},
		{Name: "b", Func: func(c *durable.Context) (int, error) {
			return durable.Step(c, "work", func(sc *durable.StepContext) (int, error) {
				for i := 0; i < 10_000; i++ {
					select {
					case <-done:
						return 0, nil
					default:
					}
					durabletest.Sleep(sc.Context(), time.Second)
					time.Sleep(100 * time.Microsecond)
				}
				return 0, nil
			})
		}},
	})
}

// durableLog logs through the context logger of a step of a handler whose
// logger is the one under test.
func durableLog(f func(l durable.Logger)) logFunc {
	return func(t *testing.T, l durable.LoggerInterface) (bool, string) {
		runHandler(t, l, func(ctx *durable.Context) { inStep(ctx, f) })
		return true, ""
	}
}

// plainCases check what core hands a plain five-method logger (spec §2):
// flat string keys and plain values, every field printed.
func plainCases() []testCase {
	logAll := func(l durable.Logger) {
		l.Info("flat", durable.Extra{"order_id": "o-1", "items": 3}, slog.String("s", "v"),
			slog.Group("req", slog.String("method", "GET"), slog.Int("status", 200)), "user", user{"ada"})
		l.Exception("failed", fmt.Errorf("charge: %w", &paymentError{"E3"}), "k", "v")
	}
	check := func(o *output) {
		o.t.Helper()
		o.wantLines(2)
		l := o.line(0)
		l.has("order_id", "o-1")
		l.has("items", 3)
		l.has("s", "v")
		l.has("req", map[string]any{"method": "GET", "status": 200})
		l.has("user", "user:ada")
		l.lacks("!BADKEY")
		e := o.line(1)
		e.level("ERROR")
		e.has("errorType", "*logtest.paymentError")
		e.has("errorMessage", "charge: card declined: E3")
		e.has("k", "v")
	}
	return []testCase{
		{name: "Plain/FlatArgs", log: durableLog(logAll), check: check},
		// A logger that keeps its args and writes them later (a test
		// recorder, an async logger) must see the values it was given.
		{name: "Plain/RetainedArgs", log: func(t *testing.T, l durable.LoggerInterface) (bool, string) {
			r := &retainer{next: l}
			runHandler(t, r, func(ctx *durable.Context) { inStep(ctx, logAll) })
			r.flush()
			return true, ""
		}, check: check},
	}
}

// retainer keeps every call's args as they were passed, without copying
// them, and hands them to the next logger only when flushed.
type retainer struct {
	mu    sync.Mutex
	next  durable.LoggerInterface
	calls []func()
}

func (r *retainer) keep(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, f)
}

func (r *retainer) Debug(msg string, args ...any) { r.keep(func() { r.next.Debug(msg, args...) }) }
func (r *retainer) Info(msg string, args ...any)  { r.keep(func() { r.next.Info(msg, args...) }) }
func (r *retainer) Warning(msg string, args ...any) {
	r.keep(func() { r.next.Warning(msg, args...) })
}
func (r *retainer) Error(msg string, args ...any) { r.keep(func() { r.next.Error(msg, args...) }) }
func (r *retainer) Exception(msg string, err error, args ...any) {
	r.keep(func() { r.next.Exception(msg, err, args...) })
}

func (r *retainer) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.calls {
		f()
	}
}

// here returns the line it is called from.
func here() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// sourceCalls logs one line per method of the context logger, each
// message naming the line of its call.
func sourceCalls(l durable.Logger) {
	at := func(line int) string { return fmt.Sprint(line) }
	l.Debug(at(here()))
	l.Info(at(here()))
	l.Warning(at(here()))
	l.Error(at(here()))
	l.Exception(at(here()), nil)
	l.Debugf("%s", at(here()))
	l.Infof("%s", at(here()))
	l.Warningf("%s", at(here()))
	l.Errorf("%s", at(here()))
	l.LogAttrs(slog.LevelInfo, at(here()))
	l.With("k", 1).Info(at(here()))
	l.WithGroup("g").Info(at(here()), "k", 1)
	l.Slog().Info(at(here()))
	l.Slog().LogAttrs(context.Background(), slog.LevelWarn, at(here()))
	l.Slog().With("k", 1).Error(at(here()))
}

// sourceCases check that the caller (or source) every method reports is
// the user's call: file and line of the call, for every adapter.
func sourceCases(key string) []testCase {
	const calls = 15
	check := func(o *output) {
		o.t.Helper()
		o.wantLines(calls)
		_, file, _, _ := runtime.Caller(0)
		for i := range o.lines {
			l := o.line(i)
			l.hasSource(key, file, fmt.Sprint(l.fields["message"]))
		}
	}
	return []testCase{
		{name: "Source/Context", log: func(t *testing.T, l durable.LoggerInterface) (bool, string) {
			runHandler(t, l, func(ctx *durable.Context) { sourceCalls(ctx.Logger()) })
			return true, ""
		}, check: check},
		{name: "Source/Step", log: durableLog(sourceCalls), check: check},
	}
}

// hasSource checks that key names file (by its base name) and line: a
// "file:line" string (zap, zerolog, logrus) or slog's source object.
func (l *line) hasSource(key, file, wantLine string) {
	l.out.t.Helper()
	base := file[strings.LastIndexAny(file, `/\`)+1:]
	switch v := l.fields[key].(type) {
	case string:
		if !strings.HasSuffix(v, base+":"+wantLine) {
			l.out.t.Errorf("line %d: %s = %q, want the user's call %s:%s\n%s", l.index+1, key, v, base, wantLine, l.raw)
		}
	case map[string]any:
		f, _ := v["file"].(string)
		if !strings.HasSuffix(f, base) || fmt.Sprint(v["line"]) != wantLine {
			l.out.t.Errorf("line %d: %s = %v, want the user's call %s:%s\n%s", l.index+1, key, v, base, wantLine, l.raw)
		}
	default:
		l.out.t.Errorf("line %d: no caller under %q\n%s", l.index+1, key, l.raw)
	}
}
