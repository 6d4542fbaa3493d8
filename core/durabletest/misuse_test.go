package durabletest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// Misusing the runner's own API fails the first Run with an error that
// says what is wrong, wrapping ErrInvalidConfig, instead of panicking,
// looping through every allowed invocation, or quietly running with a
// default the test did not ask for.
func TestRunnerMisuseFailsWithAClearError(t *testing.T) {
	ok := durable.Handler(func(*durable.Context, any) (string, error) { return "ok", nil }, quietLogs)
	var nilFunction *durable.Function
	cases := []struct {
		name    string
		handler durabletest.Handler
		opts    []durabletest.Option
		want    string
	}{
		{"nil handler", nil, nil, "nil handler"},
		{"typed nil handler", nilFunction, nil, "nil handler"},
		{"nil invoke target", ok, []durabletest.Option{durabletest.WithInvokeTarget("payments", nil)}, `"payments"`},
		{"typed nil invoke target", ok, []durabletest.Option{durabletest.WithInvokeTarget("payments", nilFunction)}, `"payments"`},
		{"unnamed invoke target", ok, []durabletest.Option{durabletest.WithInvokeTarget("", ok)}, "WithInvokeTarget"},
		{"invoke target named like the runner's function", ok, []durabletest.Option{durabletest.WithInvokeTarget("orders", ok), durabletest.WithFunctionName("orders")}, `"orders"`},
		{"empty function name", ok, []durabletest.Option{durabletest.WithFunctionName("")}, "WithFunctionName"},
		{"no invocations", ok, []durabletest.Option{durabletest.WithMaxInvocations(0)}, "WithMaxInvocations(0)"},
		{"negative page size", ok, []durabletest.Option{durabletest.WithPageSize(-1)}, "WithPageSize(-1)"},
		{"zero execution timeout", ok, []durabletest.Option{durabletest.WithExecutionTimeout(0)}, "WithExecutionTimeout(0s)"},
		{"execution timeout over the maximum", ok, []durabletest.Option{durabletest.WithExecutionTimeout(367 * 24 * time.Hour)}, "WithExecutionTimeout(8808h0m0s)"},
		{"negative service latency", ok, []durabletest.Option{durabletest.WithServiceLatency(-time.Second)}, "WithServiceLatency(-1s)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := durabletest.NewRunner(c.handler, c.opts...)
			e, err := r.Run(context.Background(), nil)
			if !errors.Is(err, durabletest.ErrInvalidConfig) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run = %v, want ErrInvalidConfig naming %s", err, c.want)
			}
			if e != nil || len(r.Executions()) != 0 {
				t.Error("a misconfigured runner started an execution")
			}
		})
	}
}

// A nil context is refused with an error, as a missing context is in
// net/http, rather than by a nil-pointer panic.
func TestNilContextIsRefused(t *testing.T) {
	r := durabletest.NewRunner(durable.Handler(func(*durable.Context, any) (string, error) { return "ok", nil }, quietLogs))
	//lint:ignore SA1012 a nil context is the misuse this test checks is refused
	if _, err := r.Run(nil, nil); err == nil {
		t.Error("Run(nil, ...) succeeded")
	}
	//lint:ignore SA1012 a nil context is the misuse this test checks is refused
	if durabletest.Crash(nil) {
		t.Error("Crash(nil) found an invocation")
	}
}

// ReplayHistory refuses a nil function or context with an error instead
// of a nil-pointer panic.
func TestReplayHistoryRefusesNilArguments(t *testing.T) {
	fn := durable.Handler(func(*durable.Context, any) (string, error) { return "a", nil }, quietLogs)
	history := recordHistory(t, fn)
	if err := durabletest.ReplayHistory(context.Background(), history, nil); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("ReplayHistory with a nil function = %v, want an error saying so", err)
	}
	//lint:ignore SA1012 a nil context is the misuse this test checks is refused
	if err := durabletest.ReplayHistory(nil, history, fn); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("ReplayHistory with a nil context = %v, want an error saying so", err)
	}
}
