package durable

import (
	"context"
	"testing"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// quietPlugin implements the per-operation hooks and does nothing.
type quietPlugin struct{ plugin.Base }

func (*quietPlugin) OnOperationStart(context.Context, *plugin.OperationInfo) {}
func (*quietPlugin) OnOperationEnd(context.Context, *plugin.OperationInfo)   {}
func (*quietPlugin) OnAttemptStart(context.Context, *plugin.AttemptInfo)     {}
func (*quietPlugin) OnAttemptEnd(context.Context, *plugin.AttemptInfo)       {}
func (*quietPlugin) OnFunctionStart(context.Context, *plugin.FunctionInfo)   {}
func (*quietPlugin) OnFunctionEnd(context.Context, *plugin.FunctionInfo)     {}

// The hooks called for every operation (start, attempt, function) cost
// core no allocation: their infos come from pools, which is what package
// plugin's rule that an info is the hook's for the call only allows.
func TestPluginHooksAllocateNothingPerOperation(t *testing.T) {
	ps, err := newPlugins([]plugin.Plugin{&quietPlugin{}})
	if err != nil {
		t.Fatal(err)
	}
	inv := &invocation{goctx: context.Background(), state: newExecutionState()}
	h := newHooks(ps, inv)
	c := &Context{inv: inv, id: "parent", parentID: "parent"}
	step := op{ctx: c, id: "step", name: "charge", typ: protocol.OperationTypeStep, subType: protocol.SubTypeStep}
	item := op{ctx: c, id: "item", name: "item-1", typ: protocol.OperationTypeContext, subType: protocol.SubTypeMapIteration}
	allocs := testing.AllocsPerRun(1000, func() {
		h.operationStart(&step)
		_, attempt := h.attempt(&step, 1)
		attempt.finish(nil)
		h.operationStart(&item)
		_, fn := h.function(&item, false, false)
		fn.finish(nil)
	})
	// A round puts four infos back into their pools; with the race
	// detector, which drops a quarter of them, a round allocates one on
	// average. Before the pools, a round allocated six times.
	want := 0.0
	if raceDetector {
		want = 2
	}
	if allocs > want {
		t.Errorf("a round of hooks (two operations, an attempt, a function) allocates %v times, want at most %v", allocs, want)
	}
}
