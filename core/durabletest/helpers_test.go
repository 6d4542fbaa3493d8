package durabletest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// Operation ids of the worked example in protocol §5.4.
const (
	id1 = "1ced8f5be2db23a6513eba4d819c73806424748a7bc6fa0d792cc1c7d1775a97"
	id2 = "c5faca15ac2f93578b39ef4b6bbb871bdedce4ddd584fd31f0bb66fade3947e6"
	id3 = "6f760b9e9eac89f07ab0223b0f4acb04d1e355d893a1b86a83f4d4b405adee99"
)

// raw is a hand-written handler speaking the raw protocol: it decodes the
// event, loads every state page, lets fn checkpoint through the service,
// and encodes fn's envelope. A checkpoint error ends the invocation with a
// Lambda error, as the SDK does for retryable errors.
type raw func(inv *rawInvocation) protocol.InvocationOutput

type rawInvocation struct {
	ctx    context.Context
	svc    protocol.Service
	event  protocol.InvocationEvent
	token  string
	ops    map[string]protocol.Operation
	failed error
}

func (h raw) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	inv := &rawInvocation{ctx: ctx, svc: serviceOf(ctx), ops: map[string]protocol.Operation{}}
	if err := json.Unmarshal(payload, &inv.event); err != nil {
		return nil, err
	}
	inv.token = inv.event.CheckpointToken
	if err := inv.merge(*inv.event.InitialExecutionState); err != nil {
		return nil, err
	}
	out := h(inv)
	if inv.failed != nil {
		return nil, inv.failed
	}
	return json.Marshal(out)
}

// serviceOf finds the service in an invocation context (the durable
// package keeps its own accessor unexported).
func serviceOf(ctx context.Context) protocol.Service {
	inv, _ := ctx.Value(invocationKey{}).(*invocation)
	if inv == nil {
		return nil
	}
	return inv.exec.svc
}

// merge upserts a state page and follows NextMarker.
func (inv *rawInvocation) merge(st protocol.ExecutionState) error {
	for {
		for _, op := range st.Operations {
			inv.ops[op.ID] = op
		}
		if st.NextMarker == "" {
			return nil
		}
		next, err := inv.svc.GetExecutionState(inv.ctx, protocol.StateRequest{
			DurableExecutionArn: inv.event.DurableExecutionArn, CheckpointToken: inv.token, Marker: st.NextMarker})
		if err != nil {
			return err
		}
		st = *next
	}
}

// checkpoint sends updates and merges the answer.
func (inv *rawInvocation) checkpoint(updates ...protocol.OperationUpdate) (*protocol.CheckpointResponse, error) {
	resp, err := inv.try(updates...)
	if err != nil && inv.failed == nil {
		inv.failed = err
	}
	return resp, err
}

// try is checkpoint without recording the error as fatal.
func (inv *rawInvocation) try(updates ...protocol.OperationUpdate) (*protocol.CheckpointResponse, error) {
	resp, err := inv.svc.Checkpoint(inv.ctx, protocol.CheckpointRequest{
		DurableExecutionArn: inv.event.DurableExecutionArn, CheckpointToken: inv.token, Updates: updates})
	if err != nil {
		return nil, err
	}
	inv.token = resp.CheckpointToken
	return resp, inv.merge(resp.NewExecutionState)
}

func (inv *rawInvocation) op(id string) (protocol.Operation, bool) {
	op, ok := inv.ops[id]
	return op, ok
}

func (inv *rawInvocation) status(id string) protocol.OperationStatus { return inv.ops[id].Status }

// Update builders.

func str(s string) *string { return &s }

func upd(t protocol.OperationType, subType, id, name string, a protocol.OperationAction) protocol.OperationUpdate {
	return protocol.OperationUpdate{ID: id, Type: t, SubType: subType, Name: name, Action: a}
}

func stepUpd(id, name string, a protocol.OperationAction) protocol.OperationUpdate {
	return upd(protocol.OperationTypeStep, protocol.SubTypeStep, id, name, a)
}

func stepSucceed(id, name, payload string) protocol.OperationUpdate {
	u := stepUpd(id, name, protocol.ActionSucceed)
	u.Payload = str(payload)
	return u
}

func waitStart(id string, seconds int) protocol.OperationUpdate {
	u := upd(protocol.OperationTypeWait, protocol.SubTypeWait, id, "", protocol.ActionStart)
	u.WaitOptions = &protocol.WaitOptions{WaitSeconds: seconds}
	return u
}

func ctxUpd(id, name string, a protocol.OperationAction) protocol.OperationUpdate {
	return upd(protocol.OperationTypeContext, protocol.SubTypeRunInChildContext, id, name, a)
}

func child(u protocol.OperationUpdate, parent string) protocol.OperationUpdate {
	u.ParentID = parent
	return u
}

func succeeded(result string) protocol.InvocationOutput {
	return protocol.InvocationOutput{Status: protocol.InvocationSucceeded, Result: str(result)}
}

func failedOut(errType, msg string) protocol.InvocationOutput {
	return protocol.InvocationOutput{Status: protocol.InvocationFailed,
		Error: &protocol.ErrorObject{ErrorType: errType, ErrorMessage: msg}}
}

var pending = protocol.InvocationOutput{Status: protocol.InvocationPending}

// run runs h to completion and fails the test on a runner error.
func run(t *testing.T, h Handler, input any, opts ...Option) *Execution {
	t.Helper()
	e, err := NewRunner(h, opts...).Run(context.Background(), input)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return e
}

// apiError asserts that err is an *APIError with the given code.
func apiError(t *testing.T, err error, code string) *protocol.APIError {
	t.Helper()
	var ae *protocol.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want *protocol.APIError %s", err, code)
	}
	if ae.Code != code {
		t.Fatalf("error code = %s (%v), want %s", ae.Code, ae, code)
	}
	return ae
}

// eventTypes lists the types of a history.
func eventTypes(h []Event) []EventType {
	out := make([]EventType, len(h))
	for i, ev := range h {
		out[i] = ev.EventType
	}
	return out
}

// jsonValue decodes JSON text into generic values for comparison.
func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	return v
}
