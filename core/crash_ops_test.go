package durable_test

import (
	"errors"
	"fmt"
	"strings"
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
// semantics, a retried submitter, WaitForCondition, a chained invoke; and
// a child, a step and a map item whose results are, when large, too large
// to store, with an execution result too large to return.
func opsWorkflow(amoRuns *flowRuns, large bool) *durable.Function {
	size, bigResult := 3, 0
	if large {
		size, bigResult = 257<<10, 2<<20
	}
	return durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		var out []string
		add := func(s string, err error) error {
			out = append(out, fmt.Sprintf("%.40s/%d", s, len(s)))
			return err
		}
		if !large { // replaying large results is slow: the retries run small
			if err := retriedOps(ctx, amoRuns, add); err != nil {
				return "", err
			}
		}
		if err := add(durable.RunInChildContext(ctx, "big-child", func(c *durable.Context) (string, error) {
			s, err := durable.Step(c, "inner", func(*durable.StepContext) (string, error) { return "i", nil })
			return strings.Repeat(s, size), err
		})); err != nil {
			return "", err
		}
		if err := add(durable.Step(ctx, "big-step", func(*durable.StepContext) (string, error) { return strings.Repeat("s", size), nil })); err != nil {
			return "", err
		}
		res, err := durable.Map(ctx, "map", []int{1, size, 3}, func(c *durable.Context, item, _ int, _ []int) (string, error) {
			return durable.Step(c, "", func(*durable.StepContext) (string, error) { return strings.Repeat("m", item), nil })
		})
		if err != nil {
			return "", err
		}
		for _, v := range res.Results() {
			_ = add(v, nil)
		}
		return strings.Join(out, ",") + strings.Repeat(`"`, bigResult), nil
	})
}

// retriedOps is opsWorkflow's part that retries and suspends.
func retriedOps(ctx *durable.Context, amoRuns *flowRuns, add func(string, error) error) error {
	if err := add(durable.Step(ctx, "flaky", func(sc *durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errFirstAttempt
		}
		return "flaky-ok", nil
	}, durable.WithRetryStrategy(retryOnce))); err != nil {
		return err
	}
	if err := add(durable.Step(ctx, "flaky-amo", func(sc *durable.StepContext) (string, error) {
		amoRuns.add(sc)
		if sc.Attempt() == 1 {
			return "", errFirstAttempt
		}
		return "amo-ok", nil
	}, durable.WithRetryStrategy(retryOnce), durable.WithAtMostOncePerRetry())); err != nil {
		return err
	}
	n, err := durable.WaitForCondition(ctx, "poll", 0, func(_ *durable.StepContext, s int) (int, error) { return s + 1, nil },
		func(s, _ int) (durable.WaitDecision, error) {
			return durable.WaitDecision{Continue: s < 3, Delay: time.Second}, nil
		})
	if err := add(fmt.Sprint(n), err); err != nil {
		return err
	}
	if err := add(durable.Invoke[string](ctx, "call", "target", "in")); err != nil {
		return err
	}
	return add(durable.WaitForCallback[string](ctx, "cb", func(sc *durable.StepContext, _ string) error {
		if sc.Attempt() == 1 {
			return errFirstAttempt
		}
		return nil
	}, durable.WithSubmitterRetry(retryOnce)))
}

// runOpsCrashing runs opsWorkflow, crashing its invocation before the
// crashAt-th update the service receives (0: never). It returns the
// payload size of every update seen.
func runOpsCrashing(t *testing.T, crashAt int, large bool) (*durabletest.Execution, *flowRuns, []int) {
	t.Helper()
	runs := &flowRuns{}
	var sizes []int // the crash function runs under the service's lock
	target := durable.Handler(func(ctx *durable.Context, in string) (string, error) { return in + "-out", nil })
	runner := durabletest.NewRunner(opsWorkflow(runs, large), durabletest.WithInvokeTarget("target", target),
		durabletest.WithCrash(func(_ int, u protocol.OperationUpdate) bool {
			n := 0
			if u.Payload != nil {
				n = len(*u.Payload)
			}
			sizes = append(sizes, n)
			return len(sizes) == crashAt
		}))
	return runCrashing(t, runner, crashAt), runs, sizes
}

// A crash before any single update of a workflow of every operation kind
// ends with the crash-free result and the same completed operations; no
// operation succeeds twice and no at-most-once attempt runs twice. With
// results too large to store or return, the crashes come before each
// update that carries one (the rest is the same run, slow to repeat with
// such payloads).
func TestCrashAtEveryUpdateOfEveryOperationKind(t *testing.T) {
	for _, large := range []bool{false, true} {
		base, runs, sizes := runOpsCrashing(t, 0, large)
		if base.Status() != durabletest.ExecutionSucceeded {
			t.Fatalf("crash-free: %s %+v", base.Status(), base.Error())
		}
		if r := runs.repeated(); len(r) > 0 {
			t.Fatalf("crash-free: %v", r)
		}
		want := deref(base.Result())
		baseOps := completed(base)
		var points []int
		for i, n := range sizes {
			if !large || n > 256<<10 {
				points = append(points, i+1)
			}
		}
		for _, k := range points {
			exec, runs, _ := runOpsCrashing(t, k, large)
			if exec.Status() != durabletest.ExecutionSucceeded || deref(exec.Result()) != want {
				t.Fatalf("large %v, crash at update %d of %d: %s %.200s %+v", large, k, len(sizes), exec.Status(), deref(exec.Result()), exec.Error())
			}
			if r := runs.repeated(); len(r) > 0 {
				t.Errorf("large %v, crash at update %d: at-most-once attempts re-ran: %v", large, k, r)
			}
			if twice := succeededTwice(exec); len(twice) > 0 {
				t.Errorf("large %v, crash at update %d: operations succeeded twice: %v", large, k, twice)
			}
			ops := completed(exec)
			for id, w := range baseOps {
				if ops[id] != w {
					t.Errorf("large %v, crash at update %d: operation %s %.100q, crash-free %.100q", large, k, id, ops[id], w)
				}
			}
			if len(ops) != len(baseOps) {
				t.Errorf("large %v, crash at update %d: %d completed operations, crash-free %d", large, k, len(ops), len(baseOps))
			}
			if t.Failed() {
				t.FailNow()
			}
		}
		t.Logf("large %v: %d crash points of %d updates", large, len(points), len(sizes))
	}
}
