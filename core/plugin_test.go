package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/plugin"
)

// recorder is a plugin implementing every hook; it records one line per call.
type recorder struct {
	plugin.Base
	mu     sync.Mutex
	events []string
	panics bool
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
	r.mu.Unlock()
	if r.panics {
		panic("faulty plugin")
	}
}

func (r *recorder) OnInvocationStart(_ context.Context, i *plugin.InvocationInfo) {
	r.add("invocation-start first=%v updated=%d", i.IsFirstInvocation, len(i.UpdatedOperations))
}

func (r *recorder) OnInvocationEnd(_ context.Context, i *plugin.InvocationInfo) {
	r.add("invocation-end first=%v status=%s terminal=%v", i.IsFirstInvocation, i.Status, i.Terminal())
}

func (r *recorder) OnOperationStart(_ context.Context, o *plugin.OperationInfo) {
	r.add("operation-start %s %s", o.Type, o.Name)
}

func (r *recorder) OnOperationEnd(_ context.Context, o *plugin.OperationInfo) {
	r.add("operation-end %s %s %s", o.Type, o.Name, o.Status)
}

func (r *recorder) OnAttemptStart(_ context.Context, a *plugin.AttemptInfo) {
	r.add("attempt-start %s %d", a.Name, a.Attempt)
}

func (r *recorder) OnAttemptEnd(_ context.Context, a *plugin.AttemptInfo) {
	r.add("attempt-end %s %d ok=%v", a.Name, a.Attempt, a.Succeeded)
}

func (r *recorder) OnFunctionStart(_ context.Context, f *plugin.FunctionInfo) {
	r.add("fn-start %s %s", f.SubType, f.Name)
}

func (r *recorder) OnFunctionEnd(_ context.Context, f *plugin.FunctionInfo) {
	r.add("fn-end %s %s ok=%v", f.SubType, f.Name, f.Succeeded)
}

func (r *recorder) count(event string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e == event {
			n++
		}
	}
	return n
}

// pluginWorkflow: a step that fails once, a wait, a child context.
func pluginWorkflow(ctx *durable.Context, _ any) (string, error) {
	if _, err := durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
		if sc.Attempt() == 1 {
			return 0, errors.New("first attempt fails")
		}
		return 1, nil
	}, durable.WithRetryStrategy(durable.ExponentialRetry(durable.RetryConfig{MaxAttempts: 2, InitialDelay: time.Second}))); err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "pause", time.Second); err != nil {
		return "", err
	}
	return durable.RunInChildContext(ctx, "child", func(c *durable.Context) (string, error) { return "done", nil })
}

func TestPluginHooksFollowTheExecution(t *testing.T) {
	rec := &recorder{}
	exec := run(t, durable.Handler(pluginWorkflow, durable.WithPlugins(rec)), nil)
	wantResult(t, exec, `"done"`)
	want := map[string]int{
		"invocation-start first=true updated=0":                     1,
		"invocation-start first=false updated=1":                    2, // the retry became READY; the wait fired
		"invocation-end first=true status=PENDING terminal=false":   1,
		"invocation-end first=false status=PENDING terminal=false":  1,
		"invocation-end first=false status=SUCCEEDED terminal=true": 1,
		"attempt-start flaky 1":                                     1,
		"attempt-end flaky 1 ok=false":                              1,
		"attempt-start flaky 2":                                     1,
		"attempt-end flaky 2 ok=true":                               1,
		"operation-end STEP flaky SUCCEEDED":                        1, // once, though replayed afterwards
		"operation-start WAIT pause":                                1,
		"operation-end WAIT pause SUCCEEDED":                        1,
		"fn-start RunInChildContext child":                          1,
		"fn-end RunInChildContext child ok=true":                    1,
		"operation-end CONTEXT child SUCCEEDED":                     1,
	}
	for event, n := range want {
		if got := rec.count(event); got != n {
			t.Errorf("%q seen %d times, want %d\nall: %v", event, got, n, rec.events)
		}
	}
	if got := rec.count("operation-start STEP flaky"); got != 2 {
		t.Errorf("step started %d times, want 2 (one per invocation running an attempt)", got)
	}
}

// Hook-shaped types that do not (fully) implement a hook interface.
type (
	noHooks      struct{ plugin.Base }
	halfHook     struct{ plugin.Base }
	pointerHooks struct{ plugin.Base }
)

func (halfHook) OnOperationStart(context.Context, *plugin.OperationInfo) {}
func (halfHook) OnOperationEnded(context.Context, *plugin.OperationInfo) {} // misspelled

func (*pointerHooks) OnOperationChange(context.Context, *plugin.OperationChangeInfo) {}

func TestPluginsWithoutHooksFailEveryInvocation(t *testing.T) {
	tests := []struct {
		name   string
		plugin plugin.Plugin
		want   string
	}{
		{"no hook at all", noHooks{}, "implements no hook interface"},
		{"half a hook", halfHook{}, "has method OnOperationStart but does not implement plugin.OperationHook"},
		{"hooks on the pointer", pointerHooks{}, "register a pointer"},
		{"nil", nil, "plugin 1 is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := false
			fn := durable.Handler(func(*durable.Context, any) (string, error) {
				ran = true
				return "ran", nil
			}, durable.WithPlugins(&recorder{}, tt.plugin))
			for range 2 {
				_, err := fn.Invoke(context.Background(), []byte(`{}`))
				if !errors.Is(err, durable.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Invoke error = %v, want ErrInvalidArgument mentioning %q", err, tt.want)
				}
			}
			if ran {
				t.Error("the handler ran despite a broken plugin")
			}
		})
	}
	// The same plugins registered correctly are accepted.
	exec := run(t, durable.Handler(pluginWorkflow, durable.WithPlugins(&pointerHooks{})), nil)
	wantResult(t, exec, `"done"`)
}

func TestPanickingPluginChangesNothing(t *testing.T) {
	faulty, healthy := &recorder{panics: true}, &recorder{}
	exec := run(t, durable.Handler(pluginWorkflow, durable.WithPlugins(faulty, healthy)), nil)
	wantResult(t, exec, `"done"`)
	if !slices.Equal(faulty.events, healthy.events) {
		t.Errorf("a panicking plugin kept another from its hooks:\nfaulty  %v\nhealthy %v", faulty.events, healthy.events)
	}
	if len(healthy.events) == 0 {
		t.Error("no hooks were called")
	}
}

func TestMapItemsReportTheirFunctions(t *testing.T) {
	rec := &recorder{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "m", []int{1, 2, 3}, func(c *durable.Context, v, _ int, _ []int) (int, error) { return v, nil })
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	}, durable.WithPlugins(rec))
	wantResult(t, run(t, h, nil), "3")
	for i := range 3 {
		if got := rec.count(fmt.Sprintf("fn-end MapIteration map-item-%d ok=true", i)); got != 1 {
			t.Errorf("item %d: fn-end seen %d times, want 1", i, got)
		}
	}
}

// stateCounter records, per invocation, the size of the Operations maps and
// CompletedOperations.
type stateCounter struct {
	plugin.Base
	mu   sync.Mutex
	seen []string
}

func (s *stateCounter) record(when string, i *plugin.InvocationInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ops := "nil"
	if i.Operations != nil {
		ops = fmt.Sprint(len(i.Operations))
	}
	s.seen = append(s.seen, fmt.Sprintf("%s ops=%s completed=%d", when, ops, i.CompletedOperations))
}

func (s *stateCounter) OnInvocationStart(_ context.Context, i *plugin.InvocationInfo) {
	s.record("start", i)
}
func (s *stateCounter) OnInvocationEnd(_ context.Context, i *plugin.InvocationInfo) {
	s.record("end", i)
}

// optingOut is a stateCounter that does not read the maps.
type optingOut struct{ stateCounter }

func (*optingOut) OmitOperations() {}

func TestOperationsOptOut(t *testing.T) {
	// pluginWorkflow runs three invocations; completed before each: none,
	// none (the retried step is READY), the step and the fired wait.
	completed := []string{
		"start completed=0", "end completed=0",
		"start completed=0", "end completed=0",
		"start completed=2", "end completed=2",
	}
	strip := func(seen []string) (ops, rest []string) {
		for _, s := range seen {
			f := strings.Fields(s)
			ops = append(ops, f[1])
			rest = append(rest, f[0]+" "+f[2])
		}
		return ops, rest
	}

	// One plugin opting out: the maps are built for the one that does not.
	reads, skips := &stateCounter{}, &optingOut{}
	wantResult(t, run(t, durable.Handler(pluginWorkflow, durable.WithPlugins(reads, skips)), nil), `"done"`)
	ops, rest := strip(reads.seen)
	if slices.Contains(ops, "ops=nil") || !slices.Equal(rest, completed) || !slices.Equal(reads.seen, skips.seen) {
		t.Errorf("with a plugin reading the maps: %v and %v, want maps and %v", reads.seen, skips.seen, completed)
	}

	// Every plugin opting out: no maps.
	alone := &optingOut{}
	wantResult(t, run(t, durable.Handler(pluginWorkflow, durable.WithPlugins(alone)), nil), `"done"`)
	ops, rest = strip(alone.seen)
	for _, o := range ops {
		if o != "ops=nil" {
			t.Errorf("every plugin opted out, yet the infos carry maps: %v", alone.seen)
			break
		}
	}
	if !slices.Equal(rest, completed) {
		t.Errorf("completed operations %v, want %v", rest, completed)
	}
}
