package durable_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

var errFirstAttempt = errors.New("first attempt fails")

func retryOnce(_ error, attempt int) durable.RetryDecision {
	return durable.RetryDecision{ShouldRetry: attempt < 5, Delay: time.Second}
}

// opsWorkflow uses what the random flows do not: retried steps of both
// semantics, a retried submitter, WaitForCondition, a chained invoke and
// results too large to store (a child's, a step's, a map item's, the
// execution's).
func opsWorkflow(amoRuns *flowRuns, bigResult int) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		var out []string
		add := func(s string, err error) error {
			out = append(out, fmt.Sprintf("%.40s/%d", s, len(s)))
			return err
		}
		if err := add(durable.Step(ctx, "flaky", func(sc *durable.StepContext) (string, error) {
			if sc.Attempt() == 1 {
				return "", errFirstAttempt
			}
			return "flaky-ok", nil
		}, durable.WithRetryStrategy(retryOnce))); err != nil {
			return "", err
		}
		if err := add(durable.Step(ctx, "flaky-amo", func(sc *durable.StepContext) (string, error) {
			amoRuns.add(sc)
			if sc.Attempt() == 1 {
				return "", errFirstAttempt
			}
			return "amo-ok", nil
		}, durable.WithRetryStrategy(retryOnce), durable.WithAtMostOncePerRetry())); err != nil {
			return "", err
		}
		n, err := durable.WaitForCondition(ctx, "poll", 0, func(_ *durable.StepContext, s int) (int, error) { return s + 1, nil },
			func(s, _ int) (durable.WaitDecision, error) {
				return durable.WaitDecision{Continue: s < 3, Delay: time.Second}, nil
			})
		if err := add(fmt.Sprint(n), err); err != nil {
			return "", err
		}
		if err := add(durable.Invoke[string](ctx, "call", "target", "in")); err != nil {
			return "", err
		}
		if err := add(durable.RunInChildContext(ctx, "big-child", func(c *durable.Context) (string, error) {
			s, err := durable.Step(c, "inner", func(*durable.StepContext) (string, error) { return "i", nil })
			return strings.Repeat(s, 300<<10), err
		})); err != nil {
			return "", err
		}
		if err := add(durable.Step(ctx, "big-step", func(*durable.StepContext) (string, error) { return strings.Repeat("s", 300<<10), nil })); err != nil {
			return "", err
		}
		res, err := durable.Map(ctx, "map", []int{1, 300 << 10, 3}, func(c *durable.Context, item, _ int, _ []int) (string, error) {
			return durable.Step(c, "", func(*durable.StepContext) (string, error) { return strings.Repeat("m", item), nil })
		})
		if err != nil {
			return "", err
		}
		for _, v := range res.Results() {
			_ = add(v, nil)
		}
		if err := add(durable.WaitForCallback[string](ctx, "cb", func(sc *durable.StepContext, _ string) error {
			if sc.Attempt() == 1 {
				return errFirstAttempt
			}
			return nil
		}, durable.WithSubmitterRetry(retryOnce))); err != nil {
			return "", err
		}
		return strings.Join(out, ",") + strings.Repeat(`"`, bigResult), nil
	})
}

func runOpsCrashing(t *testing.T, crashAt int, bigResult int) (*durabletest.Execution, *flowRuns, int) {
	t.Helper()
	runs := &flowRuns{}
	var seen atomic.Int32
	target := durable.Handler(func(ctx *durable.Context, in string) (string, error) { return in + "-out", nil })
	runner := durabletest.NewRunner(opsWorkflow(runs, bigResult), durabletest.WithInvokeTarget("target", target),
		durabletest.WithCrash(func(_ int, u protocol.OperationUpdate) bool {
			return int(seen.Add(1)) == crashAt
		}))
	ctx := context.Background()
	exec, err := runner.Start(ctx, nil)
	if err == nil {
		err = driveFlow(ctx, exec)
	}
	if err != nil {
		t.Fatalf("crash at update %d: %v", crashAt, err)
	}
	return exec, runs, int(seen.Load())
}

// A crash before any single update of a workflow of every operation kind
// ends with the crash-free result and the same completed operations; no
// operation succeeds twice and no at-most-once attempt runs twice. With a
// result too large for the response, the EXECUTION update that carries it
// is one more update to crash before (only the last few are tried there:
// the rest is the same run).
func TestCrashAtEveryUpdateOfEveryOperationKind(t *testing.T) {
	for _, big := range []int{0, 2 << 20} {
		base, runs, total := runOpsCrashing(t, 0, big)
		if base.Status() != durabletest.ExecutionSucceeded {
			t.Fatalf("crash-free: %s %+v", base.Status(), base.Error())
		}
		if r := runs.repeated(); len(r) > 0 {
			t.Fatalf("crash-free: %v", r)
		}
		want := deref(base.Result())
		baseOps := completed(base)
		first := 1
		if big > 0 {
			first = total - 1
		}
		for k := first; k <= total; k++ {
			exec, runs, _ := runOpsCrashing(t, k, big)
			if exec.Status() != durabletest.ExecutionSucceeded || deref(exec.Result()) != want {
				t.Fatalf("big %d crash at update %d of %d: %s %.200s %+v", big, k, total, exec.Status(), deref(exec.Result()), exec.Error())
			}
			if r := runs.repeated(); len(r) > 0 {
				t.Errorf("big %d crash at update %d: at-most-once attempts re-ran: %v", big, k, r)
			}
			checkOneFinalSucceedEach(t, exec)
			ops := completed(exec)
			for id, w := range baseOps {
				if ops[id] != w {
					t.Errorf("big %d crash at update %d: op %s %.100q, crash-free %.100q", big, k, id, ops[id], w)
				}
			}
			if t.Failed() {
				t.FailNow()
			}
		}
		t.Logf("big %d: %d crash points", big, total)
	}
}

// checkOneFinalSucceedEach fails if any operation succeeded twice; a
// WaitForCondition's RETRY with a state is a StepSucceeded too, with a
// next attempt delay, which is not an end.
func checkOneFinalSucceedEach(t *testing.T, exec *durabletest.Execution) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range exec.History() {
		if rd := e.Details.RetryDetails; rd != nil && rd.NextAttemptDelaySeconds > 0 {
			continue
		}
		if strings.HasSuffix(string(e.EventType), "Succeeded") && e.EventType != durabletest.EventExecutionSucceeded {
			if seen[e.ID]++; seen[e.ID] == 2 {
				t.Errorf("operation %s (%q) has two %s events", e.ID, e.Name, e.EventType)
			}
		}
	}
}
