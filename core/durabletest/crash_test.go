package durabletest_test

import (
	"context"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// Crash reports whether it crashed an invocation: with the context of an
// invocation that has already ended there is nothing left to crash, and
// nothing is recorded.
func TestCrashAfterTheInvocationEndedReportsFalse(t *testing.T) {
	var kept context.Context
	r := durabletest.NewRunner(durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (string, error) {
			kept = sc.Context()
			return "ok", nil
		})
	}, quietLogs))
	e, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if durabletest.Crash(kept) {
		t.Error("Crash with the context of an ended invocation reported a crash")
	}
	if invs := e.Invocations(); len(invs) != 1 || invs[0].Crashed() {
		t.Errorf("invocations %+v, want one that did not crash", invs)
	}
}
