package durable_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

func TestMapItemsAndBranchesReportTheirStart(t *testing.T) {
	rec := &recorder{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "m", []int{1, 2, 3}, func(c *durable.Context, v, _ int, _ []int) (int, error) { return v, nil })
		if err != nil {
			return 0, err
		}
		par, err := durable.Parallel(ctx, "p", []durable.Branch[int]{
			{Name: "a", Func: func(*durable.Context) (int, error) { return 1, nil }},
			{Name: "b", Func: func(*durable.Context) (int, error) { return 2, nil }},
		})
		if err != nil {
			return 0, err
		}
		return res.SuccessCount() + par.SuccessCount(), nil
	}, durable.WithPlugins(rec))
	wantResult(t, run(t, h, nil), "5")
	var want []string
	for i := range 3 {
		want = append(want, fmt.Sprintf("map-item-%d", i))
	}
	want = append(want, "a", "b")
	for _, name := range want {
		if got := rec.count("operation-start CONTEXT " + name); got != 1 {
			t.Errorf("%s: OnOperationStart seen %d times, want 1\nall: %v", name, got, rec.events)
		}
		if got := rec.count("operation-end CONTEXT " + name + " SUCCEEDED"); got != 1 {
			t.Errorf("%s: OnOperationEnd seen %d times, want 1", name, got)
		}
	}
}

func TestPanickingHookIsLoggedOnce(t *testing.T) {
	var logs bytes.Buffer
	faulty := &recorder{panics: true}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "m", []int{1, 2, 3, 4}, func(c *durable.Context, v, _ int, _ []int) (int, error) {
			return durable.Step(c, "s", func(*durable.StepContext) (int, error) { return v, nil })
		})
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	}, durable.WithPlugins(faulty), durable.WithSDKLogHandler(slog.NewJSONHandler(&logs, nil)))
	wantResult(t, run(t, h, nil), "4")
	if n := faulty.count("attempt-start s 1"); n != 4 {
		t.Fatalf("the faulty plugin saw %d attempt starts, want 4 (its hooks keep being called)", n)
	}
	perHook := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct {
			Msg, Hook, Panic, Stack string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil || !strings.Contains(rec.Msg, "plugin hook panicked") {
			continue
		}
		perHook[rec.Hook]++
		if rec.Panic != "faulty plugin" || !strings.Contains(rec.Stack, "recorder") {
			t.Errorf("log line %s lacks the panic value or the plugin's stack", line)
		}
	}
	for _, hook := range []string{"OnAttemptStart", "OnAttemptEnd", "OnOperationStart", "OnFunctionStart", "OnInvocationStart"} {
		key := "*durable_test.recorder." + hook
		if perHook[key] != 1 {
			t.Errorf("%s logged %d times, want once\nlogged: %v", key, perHook[key], perHook)
		}
	}
}

// A checkpoint response that pages (more changed operations than a page
// holds) reaches the plugins whole: every operation's end is reported
// once, whichever page it came on.
func TestOperationEndsOnEveryPageOfACheckpointResponse(t *testing.T) {
	rec := &recorder{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "m", []int{1, 2, 3, 4, 5, 6, 7, 8}, func(c *durable.Context, v, _ int, _ []int) (int, error) {
			return durable.Step(c, "s", func(*durable.StepContext) (int, error) { return v, nil })
		})
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	}, durable.WithPlugins(rec))
	wantResult(t, run(t, h, nil, durabletest.WithPageSize(2)), "8")
	if got := rec.count("operation-end STEP s SUCCEEDED"); got != 8 {
		t.Errorf("OnOperationEnd seen for %d of the 8 steps, want each once\nall: %v", got, rec.events)
	}
	for i := range 8 {
		if got := rec.count(fmt.Sprintf("operation-end CONTEXT map-item-%d SUCCEEDED", i)); got != 1 {
			t.Errorf("map-item-%d: OnOperationEnd seen %d times, want 1", i, got)
		}
	}
}
