package durable_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
)

type scopeKey struct{}

// scoper is a plugin deriving a context per scope ("inv", "fn:<name>",
// "attempt:<name>#<n>"), adding it to log lines as "scope", recording what
// the end hooks and the checkpoint hook saw, and tagging invoke payloads.
type scoper struct {
	plugin.Base
	mu          sync.Mutex
	ends        []string
	checkpoints int
	updates     int
}

func scopeOf(ctx context.Context) string {
	s, _ := ctx.Value(scopeKey{}).(string)
	return s
}

func (p *scoper) record(format string, args ...any) {
	p.mu.Lock()
	p.ends = append(p.ends, fmt.Sprintf(format, args...))
	p.mu.Unlock()
}

func (p *scoper) InvocationContext(ctx context.Context, _ *plugin.InvocationInfo) context.Context {
	return context.WithValue(ctx, scopeKey{}, "inv")
}

func (p *scoper) FunctionContext(ctx context.Context, f *plugin.FunctionInfo) context.Context {
	return context.WithValue(ctx, scopeKey{}, scopeOf(ctx)+">fn:"+f.Name)
}

func (p *scoper) AttemptContext(ctx context.Context, a *plugin.AttemptInfo) context.Context {
	return context.WithValue(ctx, scopeKey{}, fmt.Sprintf("%s>attempt:%s#%d", scopeOf(ctx), a.Name, a.Attempt))
}

func (p *scoper) LogAttrs(ctx context.Context) []slog.Attr {
	return []slog.Attr{slog.String("scope", scopeOf(ctx))}
}

func (p *scoper) OnCheckpoint(ctx context.Context, c *plugin.CheckpointInfo) {
	if scopeOf(ctx) != "inv" || c.Err != nil {
		panic("checkpoint hook without the invocation context")
	}
	p.mu.Lock()
	p.checkpoints++
	p.updates += len(c.Updates)
	p.mu.Unlock()
}

func (p *scoper) InvokePayload(ctx context.Context, o *plugin.OperationInfo, payload string) string {
	return strings.Replace(payload, "}", fmt.Sprintf(`,"scope":%q}`, scopeOf(ctx)+">invoke:"+o.Name), 1)
}

func (p *scoper) OnAttemptStart(ctx context.Context, a *plugin.AttemptInfo) {
	p.record("attempt-start %s in %s", a.Name, scopeOf(ctx))
}

func (p *scoper) OnAttemptEnd(ctx context.Context, a *plugin.AttemptInfo) {
	p.record("attempt-end %s in %s", a.Name, scopeOf(ctx))
}

func (p *scoper) OnFunctionStart(ctx context.Context, f *plugin.FunctionInfo) {
	p.record("fn-start %s in %s virtual=%v", f.Name, scopeOf(ctx), f.Virtual)
}

func (p *scoper) OnFunctionEnd(ctx context.Context, f *plugin.FunctionInfo) {
	p.record("fn-end %s in %s", f.Name, scopeOf(ctx))
}

func TestPluginContextLogAttrsCheckpointAndInvokeHooks(t *testing.T) {
	p := &scoper{}
	seen := map[string]string{} // where user code saw which scope
	var mu sync.Mutex
	saw := func(where string, ctx context.Context) {
		mu.Lock()
		seen[where] = scopeOf(ctx)
		mu.Unlock()
	}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		saw("root", ctx.Context())
		ctx.Logger().Info("root line")
		if _, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			saw("child", c.Context())
			c.Logger().Info("child line")
			return durable.Step(c, "inner", func(sc *durable.StepContext) (int, error) {
				saw("inner", sc.Context())
				sc.Logger().Info("step line")
				return 1, nil
			})
		}); err != nil {
			return "", err
		}
		if _, err := durable.Map(ctx, "flat", []int{1}, func(c *durable.Context, _, _ int, _ []int) (int, error) {
			saw("flat item", c.Context())
			return 0, nil
		}, durable.WithFlatNesting()); err != nil {
			return "", err
		}
		return durable.Invoke[string](ctx, "call", "target:$LATEST", map[string]string{"k": "v"})
	}, durable.WithPlugins(p))
	var calleeInput string
	target := durable.Handler(func(_ *durable.Context, in map[string]string) (string, error) {
		calleeInput = in["scope"]
		return "ok", nil
	})
	exec, err := durabletest.NewRunner(fn, durabletest.WithInvokeTarget("target:$LATEST", target)).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("run: %v %s %+v", err, exec.Status(), exec.Error())
	}
	want := map[string]string{
		"root":      "inv",
		"child":     "inv>fn:child",
		"inner":     "inv>fn:child>attempt:inner#1",
		"flat item": "inv>fn:map-item-0",
	}
	for where, scope := range want {
		if seen[where] != scope {
			t.Errorf("%s code saw scope %q, want %q", where, seen[where], scope)
		}
	}
	if calleeInput != "inv>invoke:call" {
		t.Errorf("the callee's input carried scope %q, want the InvokeHook's inv>invoke:call", calleeInput)
	}
	logScopes := map[string]string{}
	for _, r := range exec.EmittedLogs() {
		logScopes[r.Message], _ = r.Fields["scope"].(string)
	}
	for msg, scope := range map[string]string{"root line": "inv", "child line": "inv>fn:child", "step line": "inv>fn:child>attempt:inner#1"} {
		if logScopes[msg] != scope {
			t.Errorf("%q logged with scope %q, want %q", msg, logScopes[msg], scope)
		}
	}
	for _, e := range []string{
		"fn-start child in inv virtual=false",
		"attempt-start inner in inv>fn:child",
		"attempt-end inner in inv>fn:child>attempt:inner#1",
		"fn-end child in inv>fn:child",
		"fn-start map-item-0 in inv virtual=true",
	} {
		if !contains(p.ends, e) {
			t.Errorf("hooks saw %q, want %q among them", p.ends, e)
		}
	}
	stats := exec.Stats()
	if p.checkpoints != stats.CheckpointCalls || p.updates != stats.OperationUpdates {
		t.Errorf("checkpoint hook saw %d calls of %d updates, runner counted %d of %d",
			p.checkpoints, p.updates, stats.CheckpointCalls, stats.OperationUpdates)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A ContextHook that panics or returns nil leaves the context as it was.
type badContexts struct{ plugin.Base }

func (badContexts) InvocationContext(context.Context, *plugin.InvocationInfo) context.Context {
	return nil
}
func (badContexts) FunctionContext(context.Context, *plugin.FunctionInfo) context.Context {
	panic("faulty")
}
func (badContexts) AttemptContext(context.Context, *plugin.AttemptInfo) context.Context {
	panic("faulty")
}

func TestFaultyContextHookKeepsTheContext(t *testing.T) {
	type key struct{}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (bool, error) {
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (bool, error) {
			return sc.Context().Value(key{}) == "lambda" && ctx.Context().Value(key{}) == "lambda", nil
		})
	}, durable.WithPlugins(badContexts{}))
	ctx := context.WithValue(context.Background(), key{}, "lambda")
	exec, err := durabletest.NewRunner(fn).Run(ctx, nil)
	if err != nil || exec.Status() != "SUCCEEDED" || *exec.Result() != "true" {
		t.Fatalf("run: %v %s %v", err, exec.Status(), exec.Result())
	}
}

// halfContexts derives only the invocation's context: half a ContextHook.
type halfContexts struct{ plugin.Base }

func (halfContexts) InvocationContext(ctx context.Context, _ *plugin.InvocationInfo) context.Context {
	return ctx
}

func TestHalfAContextHookIsRejected(t *testing.T) {
	fn := durable.Handler(func(*durable.Context, any) (string, error) { return "ran", nil }, durable.WithPlugins(halfContexts{}))
	_, err := fn.Invoke(context.Background(), []byte(`{}`))
	if !errors.Is(err, durable.ErrInvalidArgument) || !strings.Contains(err.Error(), "does not implement plugin.ContextHook") {
		t.Fatalf("Invoke error = %v, want ErrInvalidArgument naming plugin.ContextHook", err)
	}
}
