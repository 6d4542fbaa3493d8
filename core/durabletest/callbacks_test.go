package durabletest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// awaitCallback creates a callback named "approval" with the given
// timeouts and returns its outcome: the result, or a FAILED envelope with
// the callback's error.
func awaitCallback(timeout, heartbeat int) raw {
	return func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id1); !ok {
			u := upd(protocol.OperationTypeCallback, protocol.SubTypeCallback, id1, "approval", protocol.ActionStart)
			u.CallbackOptions = &protocol.CallbackOptions{TimeoutSeconds: timeout, HeartbeatTimeoutSeconds: heartbeat}
			if _, err := inv.checkpoint(u); err != nil {
				return pending
			}
			if inv.ops[id1].CallbackDetails.CallbackID == "" {
				return failedOut("Test", "the START response carries no CallbackId")
			}
		}
		op := inv.ops[id1]
		switch op.Status {
		case protocol.StatusStarted:
			return pending
		case protocol.StatusSucceeded:
			if op.CallbackDetails.Result == nil {
				return succeeded("null")
			}
			return succeeded(*op.CallbackDetails.Result)
		}
		return protocol.InvocationOutput{Status: protocol.InvocationFailed, Error: op.CallbackDetails.Error}
	}
}

func TestCallbacks(t *testing.T) {
	type action func(ctx context.Context, e *Execution, id string) error
	success := func(result string) action {
		return func(ctx context.Context, e *Execution, id string) error {
			return e.SendCallbackSuccess(ctx, id, []byte(result))
		}
	}
	advance := func(d time.Duration) action {
		return func(ctx context.Context, e *Execution, _ string) error { return e.Advance(ctx, d) }
	}
	heartbeat := func(ctx context.Context, e *Execution, id string) error { return e.SendCallbackHeartbeat(ctx, id) }
	failure := func(ctx context.Context, e *Execution, id string) error {
		return e.SendCallbackFailure(ctx, id, protocol.ErrorObject{ErrorType: "Rejected", ErrorMessage: "not approved"})
	}

	tests := []struct {
		name              string
		timeout, hb       int
		actions           []action
		status            string
		opStatus          protocol.OperationStatus
		result, errorType string
		event             EventType
		elapsed           time.Duration
	}{
		{name: "success", actions: []action{success(`{"ok": true}`)},
			status: ExecutionSucceeded, opStatus: protocol.StatusSucceeded, result: `{"ok": true}`, event: EventCallbackSucceeded},
		{name: "success without result", actions: []action{success("")},
			status: ExecutionSucceeded, opStatus: protocol.StatusSucceeded, result: "null", event: EventCallbackSucceeded},
		{name: "failure", actions: []action{failure},
			status: ExecutionFailed, opStatus: protocol.StatusFailed, errorType: "Rejected", event: EventCallbackFailed},
		{name: "timeout", timeout: 30, actions: []action{advance(time.Hour)},
			status: ExecutionFailed, opStatus: protocol.StatusTimedOut, errorType: ErrorTypeCallbackTimeout, event: EventCallbackTimedOut, elapsed: 30 * time.Second},
		{name: "heartbeat timeout", timeout: 300, hb: 10, actions: []action{advance(9 * time.Second), heartbeat, advance(time.Minute)},
			status: ExecutionFailed, opStatus: protocol.StatusTimedOut, errorType: ErrorTypeCallbackHeartbeat, event: EventCallbackTimedOut, elapsed: 19 * time.Second},
		{name: "heartbeats keep it open", timeout: 300, hb: 10,
			actions: []action{advance(9 * time.Second), heartbeat, advance(9 * time.Second), heartbeat, advance(9 * time.Second), success(`"late"`)},
			status:  ExecutionSucceeded, opStatus: protocol.StatusSucceeded, result: `"late"`, event: EventCallbackSucceeded, elapsed: 27 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e, err := NewRunner(awaitCallback(tt.timeout, tt.hb)).Start(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			cbs := e.Callbacks()
			if len(cbs) != 1 || cbs[0].Name != "approval" || cbs[0].Status != protocol.StatusStarted {
				t.Fatalf("callbacks %+v, want one started callback named approval", cbs)
			}
			id := cbs[0].CallbackDetails.CallbackID
			for i, act := range tt.actions {
				if err := act(ctx, e, id); err != nil {
					t.Fatalf("action %d: %v", i, err)
				}
			}
			if err := e.RunUntilIdle(ctx); err != nil {
				t.Fatal(err)
			}
			if e.Status() != tt.status {
				t.Fatalf("status %s, want %s", e.Status(), tt.status)
			}
			op, _ := e.Operation(id1)
			if op.Status != tt.opStatus {
				t.Fatalf("callback status %s, want %s", op.Status, tt.opStatus)
			}
			if tt.result != "" && *e.Result() != tt.result {
				t.Fatalf("result %s, want %s", *e.Result(), tt.result)
			}
			if tt.errorType != "" && e.Error().ErrorType != tt.errorType {
				t.Fatalf("error %+v, want type %s", e.Error(), tt.errorType)
			}
			h := e.History()
			started, closed := h[1], h[3]
			if started.EventType != EventCallbackStarted || started.Details.CallbackID != id ||
				started.Details.Timeout != tt.timeout || started.Details.HeartbeatTimeout != tt.hb || started.Name != "approval" {
				t.Fatalf("event 2 = %+v, want CallbackStarted with the id and timeouts", started)
			}
			if closed.EventType != tt.event || closed.ID != id1 || closed.SubType != protocol.SubTypeCallback {
				t.Fatalf("event 4 = %s of %s, want %s of the callback", closed.EventType, closed.ID, tt.event)
			}
			if got := closed.EventTimestamp.Sub(DefaultStartTime); got != tt.elapsed {
				t.Fatalf("callback closed at +%v, want +%v", got, tt.elapsed)
			}
		})
	}
}

func TestCallbackAPIErrors(t *testing.T) {
	ctx := context.Background()
	e, err := NewRunner(awaitCallback(0, 0)).Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Callbacks()[0].CallbackDetails.CallbackID

	err = e.RunToCompletion(ctx)
	if !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), `"approval"`) {
		t.Fatalf("RunToCompletion = %v, want ErrBlocked naming the callback", err)
	}
	if err := e.SendCallbackSuccess(ctx, id, []byte(`"yes"`)); err != nil {
		t.Fatal(err)
	}
	if err := e.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"unknown id", func() error { return e.SendCallbackSuccess(ctx, "bm9wZQ", nil) }, "ResourceNotFoundException"},
		{"success after success", func() error { return e.SendCallbackSuccess(ctx, id, nil) }, "CallbackTimeoutException"},
		{"failure after success", func() error { return e.SendCallbackFailure(ctx, id, protocol.ErrorObject{}) }, "CallbackTimeoutException"},
		{"heartbeat after success", func() error { return e.SendCallbackHeartbeat(ctx, id) }, "CallbackTimeoutException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			apiError(t, tt.call(), tt.code)
		})
	}
}

func TestCallbackCompletedDuringInvocation(t *testing.T) {
	// An external system answering while the invocation still runs: the
	// execution is re-invoked after it suspends.
	var e *Execution
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id1); !ok {
			inv.checkpoint(upd(protocol.OperationTypeCallback, protocol.SubTypeCallback, id1, "", protocol.ActionStart))
			id := inv.ops[id1].CallbackDetails.CallbackID
			if err := inv.exec().SendCallbackSuccess(inv.ctx, id, []byte("7")); err != nil {
				t.Error(err)
			}
			return pending
		}
		if inv.status(id1) != protocol.StatusSucceeded {
			return pending
		}
		return succeeded(*inv.ops[id1].CallbackDetails.Result)
	})
	e = run(t, h, nil)
	if e.Status() != ExecutionSucceeded || *e.Result() != "7" || len(e.Invocations()) != 2 {
		t.Fatalf("status %s result %v after %d invocations", e.Status(), e.Result(), len(e.Invocations()))
	}
	want := []EventType{EventExecutionStarted, EventCallbackStarted, EventCallbackSucceeded, EventInvocationCompleted,
		EventInvocationCompleted, EventExecutionSucceeded}
	if got := eventTypes(e.History()); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
}

// exec returns the Execution of a raw invocation.
func (inv *rawInvocation) exec() *Execution {
	return inv.ctx.Value(invocationKey{}).(*invocation).exec
}

// The API limits what an external system may send to a callback: a
// result of at most 256 KiB (protocol §4.1). A larger one is refused and
// leaves the callback open, as it does against the real service.
func TestCallbackResultSizeLimit(t *testing.T) {
	ctx := context.Background()
	e, err := NewRunner(awaitCallback(0, 0)).Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Callbacks()[0].CallbackDetails.CallbackID
	ae := apiError(t, e.SendCallbackSuccess(ctx, id, make([]byte, 256<<10+1)), "RequestTooLargeException")
	if ae.StatusCode != 413 || protocol.IsRetryable(ae) {
		t.Errorf("too large a result: HTTP %d, retryable %v, want a non-retryable 413", ae.StatusCode, protocol.IsRetryable(ae))
	}
	if st := e.Callbacks()[0].Status; st != protocol.StatusStarted {
		t.Fatalf("callback %s after a refused result, want STARTED", st)
	}
	result := `"` + strings.Repeat("y", 256<<10-2) + `"`
	if err := e.SendCallbackSuccess(ctx, id, []byte(result)); err != nil {
		t.Fatalf("a result of exactly 256 KiB: %v", err)
	}
	if err := e.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.Result(); got == nil || len(*got) != 256<<10 {
		t.Errorf("execution result of %d bytes, want the callback's 256 KiB", len(*e.Result()))
	}
}

// Error objects an external system sends are limited to 1 MB, as in
// checkpoints (protocol §3.4): a larger one fails the call with
// InvalidParameterValueException and changes nothing.
func TestExternalErrorSizeLimit(t *testing.T) {
	ctx := context.Background()
	e, err := NewRunner(awaitCallback(0, 0)).Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Callbacks()[0].CallbackDetails.CallbackID
	huge := protocol.ErrorObject{ErrorType: "Rejected", ErrorMessage: strings.Repeat("x", 1<<20)}
	apiError(t, e.SendCallbackFailure(ctx, id, huge), "InvalidParameterValueException")
	if st := e.Callbacks()[0].Status; st != protocol.StatusStarted {
		t.Fatalf("callback %s after a refused failure, want STARTED", st)
	}
	apiError(t, e.Stop(ctx, &huge), "InvalidParameterValueException")
	if e.Status() != ExecutionRunning {
		t.Fatalf("execution %s after a refused stop, want RUNNING", e.Status())
	}
	fits := protocol.ErrorObject{ErrorType: "Rejected", ErrorMessage: strings.Repeat("x", 1<<20-len("Rejected"))}
	if err := e.SendCallbackFailure(ctx, id, fits); err != nil {
		t.Fatalf("an error of exactly 1 MB: %v", err)
	}
}
