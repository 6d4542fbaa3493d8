package durable_test

import (
	"context"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// lookupError's Error method reads a field, so a nil *lookupError panics
// when asked for its message.
type lookupError struct{ key string }

func (e *lookupError) Error() string { return "no " + e.key }

// find makes the typed-nil mistake: its nil *lookupError is a non-nil error.
func find(string) (string, error) {
	var err *lookupError
	return "", err
}

// A typed-nil error returned by a handler or a step body fails the
// execution in one invocation, described as fmt prints it. Describing it
// for the checkpoint used to panic the invocation, which ends it with a
// Lambda error that the service retries: the execution was re-invoked
// until it gave up.
func TestTypedNilErrorFailsTheExecutionOnce(t *testing.T) {
	tests := []struct {
		name     string
		handler  func(*durable.Context, string) (string, error)
		wantType string
	}{
		{"handler", func(_ *durable.Context, key string) (string, error) { return find(key) }, "lookupError"},
		{"step", func(c *durable.Context, key string) (string, error) {
			return durable.Step(c, "find", func(*durable.StepContext) (string, error) { return find(key) },
				durable.WithRetryStrategy(durable.NoRetry))
		}, "StepError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec, err := durabletest.NewRunner(durable.Handler(tt.handler)).Run(context.Background(), "k")
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if n := len(exec.Invocations()); n != 1 {
				t.Errorf("%d invocations, want 1; the last ended with %v", n, exec.Invocations()[n-1].Err)
			}
			eo := exec.Error()
			if exec.Status() != "FAILED" || eo == nil || eo.ErrorType != tt.wantType || eo.ErrorMessage != "<nil>" {
				t.Errorf("execution %s with error %+v, want FAILED with %s <nil>", exec.Status(), eo, tt.wantType)
			}
		})
	}
}
