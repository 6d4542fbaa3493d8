package durable_test

import (
	"context"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// functionEnded closes a channel when the function named name ends.
type functionEnded struct {
	plugin.Base
	name string
	once sync.Once
	done chan struct{}
}

func (f *functionEnded) OnFunctionStart(context.Context, *plugin.FunctionInfo) {}

func (f *functionEnded) OnFunctionEnd(_ context.Context, info *plugin.FunctionInfo) {
	if info.Name == f.name {
		f.once.Do(func() { close(f.done) })
	}
}

// A branch still running when its Parallel completes is orphaned with
// everything inside it: the items of a Parallel nested in it do not
// checkpoint after the outer batch completed either (protocol §8.7: the
// SDK refuses the checkpoints of late finishers).
func TestItemsNestedInAnOrphanedBranchDoNotCheckpoint(t *testing.T) {
	started, outerDone := make(chan struct{}), make(chan struct{})
	ended := &functionEnded{name: "i1", done: make(chan struct{})}
	late := func(c *durable.Context) (string, error) {
		res, err := durable.Parallel(c, "inner", []durable.Branch[string]{{Name: "i1", Func: func(c *durable.Context) (string, error) {
			return durable.Step(c, "inner-step", func(*durable.StepContext) (string, error) {
				close(started)
				<-outerDone
				return "inner done", nil
			})
		}}})
		if err != nil {
			return "", err
		}
		return res.Results()[0], res.Err()
	}
	fast := func(c *durable.Context) (string, error) {
		<-started // the inner step runs when the outer batch completes
		return "fast", nil
	}
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "outer", []durable.Branch[string]{{Name: "fast", Func: fast}, {Name: "late", Func: late}},
			durable.WithMinSuccessful(1))
		if err != nil {
			return "", err
		}
		close(outerDone)
		// The invocation goes on until the inner branch has ended.
		_, err = durable.Step(ctx, "after", func(*durable.StepContext) (int, error) {
			select {
			case <-ended.done:
			//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
			case <-time.After(30 * time.Second):
			}
			return 0, nil
		})
		return string(res.CompletionReason), err
	}, durable.WithPlugins(ended))
	exec := run(t, h, nil)
	wantResult(t, exec, `"MIN_SUCCESSFUL_REACHED"`)
	for _, name := range []string{"inner-step", "i1", "inner"} {
		if op, ok := exec.FindOperation(name); ok && op.Status != protocol.StatusStarted {
			t.Errorf("%s inside the orphaned branch was checkpointed %s after its outer batch completed", name, op.Status)
		}
	}
}
