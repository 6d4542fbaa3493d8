package durable

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/durable-go/durable-go/core/protocol"
)

// errReplayCall is what the service of a replay check answers: a replay
// check never talks to the service (operations stop before they would).
var errReplayCall = errors.New("durable: a replay check does not call the durable service")

// replayService refuses every call.
type replayService struct{}

func (replayService) Checkpoint(context.Context, protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	return nil, errReplayCall
}

func (replayService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return nil, errReplayCall
}

// replay is HandleEvent for a replay check (testhook.WithReplayCheck, which
// describes it): it re-executes the handler against the operations recorded
// in ev without side effects, and reports the first call that differs.
func (f *Function) replay(ctx context.Context, ev *protocol.InvocationEvent) (*protocol.InvocationOutput, error) {
	if ev.InitialExecutionState != nil && ev.InitialExecutionState.NextMarker != "" {
		return nil, fmt.Errorf("%w: a replayed event must hold every operation (NextMarker %q)", protocol.ErrInvalidEvent, ev.InitialExecutionState.NextMarker)
	}
	inv, input, err := f.start(ctx, replayService{}, ev)
	if err != nil {
		return nil, err
	}
	chk := &replayCheck{visited: map[string]bool{}, entered: map[string]bool{"": true}}
	inv.check = chk
	inv.hooks = nil // plugins observe executions, not replay checks
	out, err := inv.execute(f.run, input, true)
	if fatal := inv.fatalErr(); fatal != nil && !errors.Is(fatal, errReplayCall) {
		return out, fatal
	}
	if err != nil {
		return out, err
	}
	if out.Status != protocol.InvocationPending {
		if err := chk.unvisited(inv); err != nil {
			return out, err
		}
	}
	return out, nil
}

// replayCheck is the state of a replay check (inv.check is nil otherwise).
type replayCheck struct {
	mu      sync.Mutex
	visited map[string]bool // operations the code called
	entered map[string]bool // contexts whose function ran ("" is the root)
}

// begin records a call and ends the task at an operation the recording
// does not complete.
func (chk *replayCheck) begin(o *op) {
	chk.mu.Lock()
	chk.visited[o.id] = true
	chk.mu.Unlock()
	if o.rec == nil || (o.typ == protocol.OperationTypeStep && !o.rec.Status.Terminal()) {
		o.ctx.busy.Store(false)
		o.ctx.task.end = taskSuspended
		runtime.Goexit()
	}
}

func (chk *replayCheck) enter(id string) {
	chk.mu.Lock()
	chk.entered[id] = true
	chk.mu.Unlock()
}

// unvisited reports a recorded operation of a context whose function ran
// to its end that the code did not call: the code changed by dropping it.
// Map items and parallel branches belong to their batch operation and are
// not called one by one.
func (chk *replayCheck) unvisited(inv *invocation) error {
	chk.mu.Lock()
	defer chk.mu.Unlock()
	var missed []*protocol.Operation
	inv.state.mu.RLock()
	for id, rec := range inv.state.ops {
		if id == inv.execID || chk.visited[id] || !chk.entered[rec.ParentID] ||
			rec.SubType == protocol.SubTypeMapIteration || rec.SubType == protocol.SubTypeParallelBranch {
			continue
		}
		missed = append(missed, rec)
	}
	inv.state.mu.RUnlock()
	if len(missed) == 0 {
		return nil
	}
	sort.Slice(missed, func(i, j int) bool { return missed[i].ID < missed[j].ID })
	rec := missed[0]
	return &NonDeterministicError{
		OperationID: rec.ID, ParentID: rec.ParentID,
		Recorded: describeOp(rec.Type, rec.SubType, rec.Name),
		Called:   "nothing: the code returned without calling it",
	}
}
