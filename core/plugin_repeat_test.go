package durable

import (
	"context"
	"testing"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// endCounter counts OnOperationEnd calls by operation id.
type endCounter struct {
	plugin.Base
	ends map[string]int
}

func (*endCounter) OnOperationStart(context.Context, *plugin.OperationInfo) {}
func (c *endCounter) OnOperationEnd(_ context.Context, o *plugin.OperationInfo) {
	c.ends[o.ID]++
}

// Checkpoint responses may repeat operations: an operation's end is
// reported once, by the first response that has it terminal, and never
// for an operation complete in the state the invocation started from.
func TestRepeatedCompletionsAreReportedOnce(t *testing.T) {
	rec := &endCounter{ends: map[string]int{}}
	ps, err := newPlugins([]plugin.Plugin{rec})
	if err != nil {
		t.Fatal(err)
	}
	inv := &invocation{goctx: context.Background(), state: newExecutionState()}
	step := func(id string, status protocol.OperationStatus) protocol.Operation {
		return protocol.Operation{ID: id, Type: protocol.OperationTypeStep, SubType: protocol.SubTypeStep, Status: status}
	}
	if err := inv.state.merge([]protocol.Operation{step("replayed", protocol.StatusSucceeded)}); err != nil {
		t.Fatal(err)
	}
	h := newHooks(ps, inv)
	h.invocationStart(false, nil)
	respond := func(ops ...protocol.Operation) {
		t.Helper()
		if err := inv.state.mergeNoting(ops, h.repeated); err != nil {
			t.Fatal(err)
		}
		h.merged(ops)
	}
	respond(step("a", protocol.StatusStarted), step("b", protocol.StatusSucceeded))
	respond(step("a", protocol.StatusSucceeded), step("b", protocol.StatusSucceeded), step("replayed", protocol.StatusSucceeded))
	respond(step("c", protocol.StatusStarted), step("c", protocol.StatusFailed), step("c", protocol.StatusFailed), step("a", protocol.StatusSucceeded))
	want := map[string]int{"a": 1, "b": 1, "c": 1}
	for id, n := range want {
		if rec.ends[id] != n {
			t.Errorf("end of %s reported %d times, want %d", id, rec.ends[id], n)
		}
	}
	if n := rec.ends["replayed"]; n != 0 {
		t.Errorf("end of an operation complete when the invocation started reported %d times, want none", n)
	}
}
