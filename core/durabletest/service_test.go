package durabletest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// probe runs one invocation that sends setup batches, then the batch
// under test, then an empty checkpoint with the same token. It returns the
// execution, the batch's error and the follow-up's error.
func probe(t *testing.T, setup [][]protocol.OperationUpdate, batch []protocol.OperationUpdate) (e *Execution, err, followUp error) {
	t.Helper()
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		for _, b := range setup {
			if _, err := inv.try(b...); err != nil {
				t.Errorf("setup batch %v: %v", b, err)
			}
		}
		_, err = inv.try(batch...)
		_, followUp = inv.try()
		return succeeded("null")
	})
	e, runErr := NewRunner(h).Start(context.Background(), nil)
	if runErr != nil {
		t.Fatal(runErr)
	}
	return e, err, followUp
}

func TestCheckpointValidation(t *testing.T) {
	failWithPayload := stepUpd(id1, "s", protocol.ActionFail)
	failWithPayload.Payload = str("x")
	succeedWithError := stepUpd(id1, "s", protocol.ActionSucceed)
	succeedWithError.Error = &protocol.ErrorObject{ErrorType: "E"}
	retryNoOptions := stepUpd(id1, "s", protocol.ActionRetry)
	retryBoth := stepUpd(id1, "s", protocol.ActionRetry)
	retryBoth.StepOptions = &protocol.StepOptions{NextAttemptDelaySeconds: 1}
	retryBoth.Payload, retryBoth.Error = str("1"), &protocol.ErrorObject{}
	execSucceed := upd(protocol.OperationTypeExecution, "", "execution-result-1", "", protocol.ActionSucceed)
	execSucceed.Payload = str("1")
	execRetry := upd(protocol.OperationTypeExecution, "", "execution-result-1", "", protocol.ActionRetry)
	execRetry.StepOptions = &protocol.StepOptions{}
	invokeNoFunction := upd(protocol.OperationTypeChainedInvoke, protocol.SubTypeChainedInvoke, id2, "", protocol.ActionStart)
	callbackNegative := upd(protocol.OperationTypeCallback, protocol.SubTypeCallback, id2, "", protocol.ActionStart)
	callbackNegative.CallbackOptions = &protocol.CallbackOptions{TimeoutSeconds: -1}
	stepStart := stepUpd(id1, "s", protocol.ActionStart)

	tests := []struct {
		name  string
		setup [][]protocol.OperationUpdate
		batch []protocol.OperationUpdate
		want  string // substring of the message; "" = accepted
	}{
		{name: "start and succeed in one call", batch: []protocol.OperationUpdate{stepStart, stepSucceed(id1, "s", "1")}},
		{name: "FAIL with Payload", batch: []protocol.OperationUpdate{stepStart, failWithPayload}, want: "FAIL must not carry Payload"},
		{name: "SUCCEED with Error", batch: []protocol.OperationUpdate{stepStart, succeedWithError}, want: "SUCCEED must not carry Error"},
		{name: "RETRY without StepOptions", batch: []protocol.OperationUpdate{stepStart, retryNoOptions}, want: "RETRY requires StepOptions"},
		{name: "RETRY with Payload and Error", batch: []protocol.OperationUpdate{stepStart, retryBoth}, want: "not both"},
		{name: "same id three times", batch: []protocol.OperationUpdate{stepStart, stepSucceed(id1, "s", "1"), stepSucceed(id1, "s", "1")}, want: "more than once"},
		{name: "wait started twice in a call", batch: []protocol.OperationUpdate{waitStart(id2, 1), waitStart(id2, 1)}, want: "more than once"},
		{name: "succeed unknown step", batch: []protocol.OperationUpdate{stepSucceed(id1, "s", "1")}, want: "does not exist"},
		{name: "restart succeeded step", setup: [][]protocol.OperationUpdate{{stepStart, stepSucceed(id1, "s", "1")}}, batch: []protocol.OperationUpdate{stepStart}, want: "already exists with status SUCCEEDED"},
		{name: "succeed succeeded step", setup: [][]protocol.OperationUpdate{{stepStart, stepSucceed(id1, "s", "1")}}, batch: []protocol.OperationUpdate{stepSucceed(id1, "s", "2")}, want: "in status SUCCEEDED"},
		{name: "inconsistent name", setup: [][]protocol.OperationUpdate{{stepStart}}, batch: []protocol.OperationUpdate{stepSucceed(id1, "other", "1")}, want: "Inconsistent operation name"},
		{name: "inconsistent type", setup: [][]protocol.OperationUpdate{{stepStart}}, batch: []protocol.OperationUpdate{ctxUpd(id1, "s", protocol.ActionSucceed)}, want: "Inconsistent operation type"},
		{name: "inconsistent subtype", setup: [][]protocol.OperationUpdate{{stepStart}}, batch: []protocol.OperationUpdate{upd(protocol.OperationTypeStep, protocol.SubTypeWaitForCondition, id1, "s", protocol.ActionFail)}, want: "Inconsistent operation subtype"},
		{name: "inconsistent parent", setup: [][]protocol.OperationUpdate{{ctxUpd(id2, "c", protocol.ActionStart), stepStart}}, batch: []protocol.OperationUpdate{child(stepSucceed(id1, "s", "1"), id2)}, want: "Inconsistent operation parent"},
		{name: "missing parent", batch: []protocol.OperationUpdate{child(stepStart, id2)}, want: "parent operation"},
		{name: "parent is not a context", setup: [][]protocol.OperationUpdate{{stepUpd(id2, "p", protocol.ActionStart)}}, batch: []protocol.OperationUpdate{child(stepStart, id2)}, want: "not a CONTEXT"},
		{name: "parent started earlier in the call", batch: []protocol.OperationUpdate{ctxUpd(id2, "c", protocol.ActionStart), child(stepStart, id2)}},
		{name: "invalid action for type", batch: []protocol.OperationUpdate{upd(protocol.OperationTypeWait, protocol.SubTypeWait, id2, "", protocol.ActionSucceed)}, want: "invalid action SUCCEED for a WAIT"},
		{name: "callback cancel", batch: []protocol.OperationUpdate{upd(protocol.OperationTypeCallback, protocol.SubTypeCallback, id2, "", protocol.ActionCancel)}, want: "invalid action CANCEL for a CALLBACK"},
		{name: "context started twice", setup: [][]protocol.OperationUpdate{{ctxUpd(id2, "c", protocol.ActionStart)}}, batch: []protocol.OperationUpdate{ctxUpd(id2, "c", protocol.ActionStart)}, want: "already exists"},
		{name: "wait without seconds", batch: []protocol.OperationUpdate{waitStart(id2, 0)}, want: "WaitSeconds"},
		{name: "invoke without function", batch: []protocol.OperationUpdate{invokeNoFunction}, want: "FunctionName"},
		{name: "negative callback timeout", batch: []protocol.OperationUpdate{callbackNegative}, want: "must not be negative"},
		{name: "execution update not last", batch: []protocol.OperationUpdate{execSucceed, stepStart}, want: "must be the last update"},
		{name: "execution retry", batch: []protocol.OperationUpdate{execRetry}, want: "only SUCCEED and FAIL"},
		{name: "bad id", batch: []protocol.OperationUpdate{stepUpd("no spaces", "s", protocol.ActionStart)}, want: "invalid operation Id"},
		{name: "unprintable name", batch: []protocol.OperationUpdate{stepUpd(id1, "tab\there", protocol.ActionStart)}, want: "printable ASCII"},
		{name: "unknown type", batch: []protocol.OperationUpdate{upd("TIMER", "", id1, "", protocol.ActionStart)}, want: "unknown operation Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err, followUp := probe(t, tt.setup, tt.batch)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("batch rejected: %v", err)
				}
				return
			}
			ae := apiError(t, err, "InvalidParameterValueException")
			if ae.StatusCode != 400 || !strings.Contains(ae.Message, tt.want) {
				t.Fatalf("error %v (HTTP %d), want a 400 mentioning %q", ae, ae.StatusCode, tt.want)
			}
			if protocol.IsRetryable(err) {
				t.Error("a validation error must not be retryable")
			}
			// Nothing of a rejected batch is applied, and the token survives.
			if n := len(e.Operations()); len(tt.setup) == 0 && n != 1 {
				t.Errorf("%d operations after a rejected batch, want only the execution", n)
			}
			if followUp != nil {
				t.Errorf("token unusable after a rejected batch: %v", followUp)
			}
		})
	}
}

func TestCheckpointTokens(t *testing.T) {
	tests := []struct {
		name string
		call func(inv *rawInvocation) error
	}{
		{"reused token", func(inv *rawInvocation) error {
			first := inv.token
			if _, err := inv.try(); err != nil {
				return err
			}
			inv.token = first
			_, err := inv.try()
			return err
		}},
		{"made-up token", func(inv *rawInvocation) error {
			inv.token = "forged"
			_, err := inv.try()
			return err
		}},
		{"state read with a stale token", func(inv *rawInvocation) error {
			first := inv.token
			if _, err := inv.try(); err != nil {
				return err
			}
			_, err := inv.svc.GetExecutionState(inv.ctx, protocol.StateRequest{DurableExecutionArn: inv.event.DurableExecutionArn, CheckpointToken: first})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
				got = tt.call(inv)
				return succeeded("null")
			})
			run(t, h, nil)
			ae := apiError(t, got, "InvalidParameterValueException")
			if !strings.EqualFold(ae.Message, "Invalid checkpoint token") {
				t.Errorf("message %q", ae.Message)
			}
			if !protocol.IsRetryable(got) {
				t.Error("a stale token must classify as retryable")
			}
		})
	}

	t.Run("unknown execution", func(t *testing.T) {
		s := NewRunner(raw(nil)).Service()
		_, err := s.Checkpoint(context.Background(), protocol.CheckpointRequest{DurableExecutionArn: "arn:nope", CheckpointToken: "t"})
		apiError(t, err, "ResourceNotFoundException")
	})

	t.Run("token dies with its invocation", func(t *testing.T) {
		var first *rawInvocation
		h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
			if first == nil {
				first = inv
				inv.checkpoint(waitStart(id2, 1))
				return pending
			}
			return succeeded("null")
		})
		run(t, h, nil)
		if _, err := first.try(); err == nil {
			t.Fatal("a finished invocation's token was accepted")
		}
	})
}

// Concurrent calls with one token: exactly one wins, as the batcher
// serializes calls; the race detector checks the service's locking.
func TestConcurrentCheckpoints(t *testing.T) {
	const n = 16
	var wins, losses int
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := strings.Repeat("a", i+1)
				_, err := inv.svc.Checkpoint(inv.ctx, protocol.CheckpointRequest{DurableExecutionArn: inv.event.DurableExecutionArn,
					CheckpointToken: inv.token, Updates: []protocol.OperationUpdate{stepUpd(id, "s", protocol.ActionStart)}})
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					wins++
				} else {
					losses++
				}
			}()
		}
		wg.Wait()
		return succeeded("null")
	})
	e := run(t, h, nil)
	if wins != 1 || losses != n-1 {
		t.Fatalf("%d accepted, %d refused; want 1 and %d", wins, losses, n-1)
	}
	if got := len(e.Operations()); got != 2 {
		t.Fatalf("%d operations, want the execution and one step", got)
	}
	if st := e.Stats(); st.CheckpointCalls != n || st.OperationUpdates != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCheckpointResponseCarriesChanges(t *testing.T) {
	var responses []*protocol.CheckpointResponse
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		r1, _ := inv.checkpoint(stepUpd(id1, "a", protocol.ActionStart))
		r2, _ := inv.checkpoint()
		r3, _ := inv.checkpoint(stepSucceed(id1, "a", "1"), waitStart(id2, 3))
		responses = append(responses, r1, r2, r3)
		return pending
	})
	e, err := NewRunner(h).Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(r *protocol.CheckpointResponse) []string {
		var out []string
		for _, op := range r.NewExecutionState.Operations {
			out = append(out, op.ID)
		}
		return out
	}
	want := [][]string{{id1}, nil, {id1, id2}}
	for i, r := range responses {
		if got := ids(r); strings.Join(got, ",") != strings.Join(want[i], ",") {
			t.Errorf("response %d carries %v, want %v", i+1, got, want[i])
		}
		if r.CheckpointToken == "" {
			t.Errorf("response %d has no token", i+1)
		}
	}
	wait := responses[2].NewExecutionState.Operations[1]
	if wait.WaitDetails == nil || !wait.WaitDetails.ScheduledEndTimestamp.Equal(e.Clock().Add(3e9)) {
		t.Errorf("wait details %+v, want ScheduledEndTimestamp = now+3s", wait.WaitDetails)
	}
	if responses[1].NewExecutionState.Operations == nil {
		t.Error("an empty change list must encode as [] not null")
	}
}
