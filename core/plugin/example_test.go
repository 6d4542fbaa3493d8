package plugin_test

import (
	"context"
	"fmt"
	"sync"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
)

// stepCounter counts finished step attempts by outcome.
type stepCounter struct {
	plugin.Base // makes stepCounter a plugin.Plugin

	mu       sync.Mutex
	outcomes map[bool]int
}

// The compiler checks that both methods of the hook are there.
var _ plugin.AttemptHook = (*stepCounter)(nil)

func (c *stepCounter) OnAttemptStart(context.Context, *plugin.AttemptInfo) {}

func (c *stepCounter) OnAttemptEnd(_ context.Context, a *plugin.AttemptInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.outcomes[a.Succeeded]++
}

func Example() {
	counter := &stepCounter{outcomes: map[bool]int{}}
	h := durable.Handler(func(ctx *durable.Context, name string) (string, error) {
		return durable.Step(ctx, "greet", func(*durable.StepContext) (string, error) {
			return "Hello, " + name, nil
		})
	}, durable.WithPlugins(counter))

	exec, err := durabletest.NewRunner(h).Run(context.Background(), "Ada")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exec.Status(), counter.outcomes[true], "successful attempt(s)")
	// Output: SUCCEEDED 1 successful attempt(s)
}

// A type that embeds Base but implements no hook interface (none at all, a
// misspelled method, half a hook) is rejected: every invocation reports it.
func Example_mistake() {
	type typo struct{ plugin.Base }
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) { return "ok", nil },
		durable.WithPlugins(typo{}))

	_, err := h.Invoke(context.Background(), []byte(`{}`))
	fmt.Println(err)
	// Output: durable: invalid argument: WithPlugins: plugin 0 (plugin_test.typo) implements no hook interface of package plugin (InvocationHook, OperationHook, AttemptHook, FunctionHook, OperationChangeHook, ContextHook, LogAttrsHook, CheckpointHook, InvokeHook)
}
