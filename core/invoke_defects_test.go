package durable_test

import (
	"strings"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// A serialization failure fails the execution (protocol §1.5, §8.8), as
// it does for every other operation: Invoke returned it to the handler,
// which could go on as if the target had been called.
func TestInvokeInputThatDoesNotSerializeFailsTheExecution(t *testing.T) {
	target := durable.Handler(func(_ *durable.Context, n int) (int, error) { return n, nil })
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if _, err := durable.Invoke[int](ctx, "call", "target", make(chan int)); err != nil {
			return "went on after: " + err.Error(), nil
		}
		return "invoked", nil
	})
	exec := run(t, h, nil, durabletest.WithInvokeTarget("target", target))
	if exec.Status() != "FAILED" || exec.Error() == nil || !strings.Contains(exec.Error().ErrorMessage, durable.ErrSerialization.Error()) {
		t.Fatalf("status %s, result %s, error %+v; want FAILED with %v", exec.Status(), deref(exec.Result()), exec.Error(), durable.ErrSerialization)
	}
}
