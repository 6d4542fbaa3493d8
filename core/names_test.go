package durable_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// The service stores only names of 1-256 printable ASCII characters and
// refuses an update with any other name (protocol §2.1, §3.4): with the
// updates queued beside it, and after a step's body already ran. An
// operation given such a name fails at once instead, with
// ErrInvalidArgument, before anything runs or is checkpointed.
func TestOperationNamesTheServiceRefusesAreInvalidArguments(t *testing.T) {
	ops := map[string]func(ctx *durable.Context, name string, ran *bool) error{
		"Step": func(ctx *durable.Context, name string, ran *bool) error {
			//durable:ignore stepcapture the test records whether the body ran
			_, err := durable.Step(ctx, name, func(*durable.StepContext) (int, error) { *ran = true; return 1, nil })
			return err
		},
		"RunInChildContext": func(ctx *durable.Context, name string, ran *bool) error {
			//durable:ignore stepcapture the test records whether the body ran
			_, err := durable.RunInChildContext(ctx, name, func(*durable.Context) (int, error) { *ran = true; return 1, nil })
			return err
		},
		"Wait": func(ctx *durable.Context, name string, _ *bool) error {
			return durable.Wait(ctx, name, time.Second)
		},
		"CreateCallback": func(ctx *durable.Context, name string, _ *bool) error {
			_, err := durable.CreateCallback[string](ctx, name)
			return err
		},
		"WaitForCallback": func(ctx *durable.Context, name string, ran *bool) error {
			if len(name) > 200 {
				name = name[:240] // fits, but not in the callback's name it makes
			}
			//durable:ignore stepcapture the test records whether the body ran
			_, err := durable.WaitForCallback[string](ctx, name, func(*durable.StepContext, string) error { *ran = true; return nil })
			return err
		},
		"Parallel branch": func(ctx *durable.Context, name string, ran *bool) error {
			_, err := durable.Parallel(ctx, "p", []durable.Branch[int]{
				//durable:ignore stepcapture the test records whether the body ran
				{Func: func(*durable.Context) (int, error) { *ran = true; return 1, nil }},
				//durable:ignore stepcapture the test records whether the body ran
				{Name: name, Func: func(*durable.Context) (int, error) { *ran = true; return 1, nil }},
			})
			return err
		},
		"Map item": func(ctx *durable.Context, name string, ran *bool) error {
			//durable:ignore stepcapture the test records whether the body ran
			_, err := durable.Map(ctx, "m", []int{1, 2}, func(*durable.Context, int, int, []int) (int, error) { *ran = true; return 1, nil },
				durable.WithItemNamer(func(i int) string { return map[int]string{0: "first", 1: name}[i] }))
			return err
		},
		"Map": func(ctx *durable.Context, name string, ran *bool) error {
			//durable:ignore stepcapture the test records whether the body ran
			_, err := durable.Map(ctx, name, []int{1}, func(*durable.Context, int, int, []int) (int, error) { *ran = true; return 1, nil })
			return err
		},
	}
	for _, name := range []string{"größe", "tab\there", strings.Repeat("n", 257)} {
		for op, call := range ops {
			t.Run(op, func(t *testing.T) {
				var ran bool
				var opErr error
				h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
					opErr = call(ctx, name, &ran)
					// The context is still usable: the next operation takes
					// the id the refused one did not.
					return durable.Step(ctx, "after", func(*durable.StepContext) (string, error) { return "ok", nil })
				})
				exec := run(t, h, nil)
				if !errors.Is(opErr, durable.ErrInvalidArgument) || !strings.Contains(opErr.Error(), "name") {
					t.Errorf("%s(%.20q) = %v, want an error matching ErrInvalidArgument about the name", op, name, opErr)
				}
				if ran {
					t.Errorf("%s(%.20q) ran its function", op, name)
				}
				wantResult(t, exec, `"ok"`)
				if n := len(exec.Operations()); n != 2 {
					t.Errorf("%d operations recorded, want the execution's and the step after", n)
				}
			})
		}
	}
	// The longest name the service stores is valid.
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.Step(ctx, strings.Repeat("~", 256), func(*durable.StepContext) (string, error) { return "ok", nil })
	})
	wantResult(t, run(t, h, nil), `"ok"`)
}

// An Invoke without a function name is refused by the service (protocol
// §2.4: FunctionName is required), with every update queued beside its
// START; it fails at once with ErrInvalidArgument instead.
func TestInvokeWithoutFunctionNameIsAnInvalidArgument(t *testing.T) {
	var invokeErr error
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if _, err := durable.Step(ctx, "before", func(*durable.StepContext) (int, error) { return 1, nil }); err != nil {
			return "", err
		}
		_, invokeErr = durable.Invoke[int](ctx, "call", "", 1)
		return durable.Step(ctx, "after", func(*durable.StepContext) (string, error) { return "ok", nil })
	})
	exec := run(t, h, nil)
	if !errors.Is(invokeErr, durable.ErrInvalidArgument) {
		t.Errorf("Invoke with no function name = %v, want ErrInvalidArgument", invokeErr)
	}
	wantResult(t, exec, `"ok"`)
}
