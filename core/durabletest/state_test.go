package durabletest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

func stepID(i int) string { return fmt.Sprintf("step-%02d", i) }

func TestPaging(t *testing.T) {
	const steps = 5
	type observation struct {
		firstPage  int
		nextMarker bool
		loaded     int
		respPage   int
		respMarker bool
	}
	var seen []observation
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		st := inv.event.InitialExecutionState
		obs := observation{firstPage: len(st.Operations), nextMarker: st.NextMarker != "", loaded: len(inv.ops)}
		if len(inv.ops) == 1 {
			var batch []protocol.OperationUpdate
			for i := range steps {
				batch = append(batch, stepUpd(stepID(i), "s", protocol.ActionStart), stepSucceed(stepID(i), "s", "1"))
			}
			resp, err := inv.checkpoint(batch...)
			if err != nil {
				return pending
			}
			obs.respPage, obs.respMarker = len(resp.NewExecutionState.Operations), resp.NewExecutionState.NextMarker != ""
			if len(inv.ops) != 1+steps {
				t.Errorf("after paging the response, %d operations known, want %d", len(inv.ops), 1+steps)
			}
			inv.checkpoint(waitStart(id2, 1))
			seen = append(seen, obs)
			return pending
		}
		seen = append(seen, obs)
		return succeeded("null")
	})
	e := run(t, h, nil, WithPageSize(2))
	want := []observation{
		{firstPage: 1, loaded: 1, respPage: 2, respMarker: true},
		{firstPage: 2, nextMarker: true, loaded: 1 + steps + 1},
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("observations %+v, want %+v", seen, want)
	}
	// 3 pages of state in invocation 2 after the first one in the event, and
	// 2 more pages of the 5-step checkpoint response.
	if got := e.Stats(); got.StateCalls != 5 || got.Invocations != 2 {
		t.Fatalf("stats %+v, want 5 state calls over 2 invocations", got)
	}

	t.Run("MaxItems and bad markers", func(t *testing.T) {
		var pages []int
		var badMarker error
		h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
			var batch []protocol.OperationUpdate
			for i := range steps {
				batch = append(batch, stepUpd(stepID(i), "s", protocol.ActionStart))
			}
			inv.checkpoint(batch...)
			req := protocol.StateRequest{DurableExecutionArn: inv.event.DurableExecutionArn, CheckpointToken: inv.token, MaxItems: 4}
			for {
				st, err := inv.svc.GetExecutionState(inv.ctx, req)
				if err != nil {
					t.Error(err)
					break
				}
				pages = append(pages, len(st.Operations))
				if st.NextMarker == "" {
					break
				}
				req.Marker = st.NextMarker
			}
			req.Marker = "bogus"
			_, badMarker = inv.svc.GetExecutionState(inv.ctx, req)
			return succeeded("null")
		})
		run(t, h, nil, WithPageSize(10))
		if !slices.Equal(pages, []int{4, 2}) {
			t.Fatalf("pages %v, want [4 2] with MaxItems 4", pages)
		}
		apiError(t, badMarker, "InvalidParameterValueException")
	})
}

func TestReplayChildren(t *testing.T) {
	const (
		plain, replayed        = "ctx-plain", "ctx-replay"
		plainChild, replayKid  = "plain-child", "replay-child"
		running, runningChild  = "ctx-running", "running-child"
		failed, failedChild    = "ctx-failed", "failed-child"
		nested, nestedGrandkid = "ctx-nested", "nested-grandchild"
	)
	var second []string
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if len(inv.ops) > 1 {
			for _, op := range inv.event.InitialExecutionState.Operations {
				second = append(second, op.ID)
			}
			return succeeded("null")
		}
		succeed := func(id string, replay bool) protocol.OperationUpdate {
			u := ctxUpd(id, id, protocol.ActionSucceed)
			u.Payload = str("1")
			u.ContextOptions = &protocol.ContextOptions{ReplayChildren: replay}
			return u
		}
		fail := ctxUpd(failed, failed, protocol.ActionFail)
		fail.Error = &protocol.ErrorObject{ErrorType: "E"}
		inv.checkpoint(
			ctxUpd(plain, plain, protocol.ActionStart), child(stepUpd(plainChild, "a", protocol.ActionStart), plain),
			ctxUpd(replayed, replayed, protocol.ActionStart), child(stepUpd(replayKid, "b", protocol.ActionStart), replayed),
			ctxUpd(running, running, protocol.ActionStart), child(stepUpd(runningChild, "c", protocol.ActionStart), running),
			ctxUpd(failed, failed, protocol.ActionStart), child(stepUpd(failedChild, "d", protocol.ActionStart), failed),
			child(ctxUpd(nested, nested, protocol.ActionStart), plain), child(stepUpd(nestedGrandkid, "e", protocol.ActionStart), nested),
		)
		inv.checkpoint(succeed(plain, false), succeed(replayed, true), fail, waitStart(id2, 1))
		return pending
	})
	e := run(t, h, nil)
	x := e.Operations()[0].ID
	want := []string{x, plain, replayed, replayKid, running, runningChild, failed, id2}
	if !slices.Equal(second, want) {
		t.Fatalf("state of invocation 2:\n got %v\nwant %v", second, want)
	}
	if n := len(e.Operations()); n != 12 {
		t.Fatalf("Operations() lists %d operations, want all 12", n)
	}
	op, ok := e.Operation(replayed)
	if !ok || op.ContextDetails == nil || !op.ContextDetails.ReplayChildren || *op.ContextDetails.Result != "1" {
		t.Fatalf("context details %+v", op.ContextDetails)
	}
	if op, _ := e.FindOperation("e"); op.ID != nestedGrandkid || op.ParentID != nested {
		t.Fatalf("FindOperation(e) = %+v", op)
	}
}

func TestCrashes(t *testing.T) {
	// Each handler crashes its first invocation in a different way after
	// starting a step, then finishes the step on the second invocation.
	finish := func(inv *rawInvocation) protocol.InvocationOutput {
		inv.checkpoint(stepSucceed(id1, "charge", `"paid"`))
		return succeeded(`"paid"`)
	}
	start := func(inv *rawInvocation) bool {
		if _, ok := inv.op(id1); ok {
			return false
		}
		inv.checkpoint(stepUpd(id1, "charge", protocol.ActionStart))
		return true
	}
	tests := []struct {
		name      string
		handler   raw
		opts      []Option
		errorType string
		err       func(error) bool
	}{
		{
			name: "handler error",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				if start(inv) {
					inv.failed = fmt.Errorf("throttled: %w", &protocol.APIError{Code: "TooManyRequestsException", StatusCode: 429})
					return pending
				}
				return finish(inv)
			},
			errorType: "wrapError",
		},
		{
			name: "panic",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				if start(inv) {
					panic("segfault")
				}
				return finish(inv)
			},
			errorType: ErrorTypeExitError,
			err:       func(err error) bool { _, ok := err.(*PanicError); return ok },
		},
		{
			name: "invalid envelope",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				if start(inv) {
					return protocol.InvocationOutput{Status: "DONE"}
				}
				return finish(inv)
			},
			errorType: ErrorTypeInvalidOutput,
			err:       func(err error) bool { _, ok := err.(*OutputError); return ok },
		},
		{
			name: "Crash from the handler",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				if start(inv) {
					if !Crash(inv.ctx) {
						t.Error("Crash found no invocation")
					}
					if _, err := inv.try(stepSucceed(id1, "charge", `"lost"`)); err == nil {
						t.Error("a crashed invocation could still checkpoint")
					}
					return succeeded(`"lost"`)
				}
				return finish(inv)
			},
			errorType: ErrorTypeExitError,
			err:       func(err error) bool { return err == ErrCrashed },
		},
		{
			name: "WithCrash before the step completes",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				if _, ok := inv.op(id1); !ok {
					// START and SUCCEED in one batch: the crash splits it.
					if _, err := inv.try(stepUpd(id1, "charge", protocol.ActionStart), stepSucceed(id1, "charge", `"lost"`)); err == nil {
						t.Error("the crashing batch was accepted")
					}
					return succeeded(`"lost"`)
				}
				return finish(inv)
			},
			opts: []Option{WithCrash(func(inv int, u protocol.OperationUpdate) bool {
				return inv == 1 && u.Name == "charge" && u.Action == protocol.ActionSucceed
			})},
			errorType: ErrorTypeExitError,
			err:       func(err error) bool { return err == ErrCrashed },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := run(t, tt.handler, nil, tt.opts...)
			if e.Status() != ExecutionSucceeded || *e.Result() != `"paid"` {
				t.Fatalf("status %s result %v error %+v", e.Status(), e.Result(), e.Error())
			}
			inv := e.Invocations()
			if len(inv) != 2 || !inv[0].Crashed() || inv[1].Crashed() || inv[1].Status != protocol.InvocationSucceeded {
				t.Fatalf("invocations %+v, want a crash then a success", inv)
			}
			if tt.err != nil && !tt.err(inv[0].Err) {
				t.Fatalf("Invocation.Err = %#v", inv[0].Err)
			}
			// StepStarted, crashed InvocationCompleted, then directly
			// StepSucceeded (protocol §9.2).
			h := e.History()
			want := []EventType{EventExecutionStarted, EventStepStarted, EventInvocationCompleted,
				EventStepSucceeded, EventInvocationCompleted, EventExecutionSucceeded}
			if got := eventTypes(h); !slices.Equal(got, want) {
				t.Fatalf("history %v, want %v", got, want)
			}
			crash := h[2].Details.Error
			if crash == nil || crash.Payload.ErrorType != tt.errorType || crash.Payload.ErrorMessage == "" {
				t.Fatalf("crash error %+v, want type %s with a message", crash, tt.errorType)
			}
			if h[4].Details.Error != nil {
				t.Fatalf("the successful invocation carries an error: %+v", h[4].Details.Error)
			}
		})
	}
}

func TestCrashOutsideInvocation(t *testing.T) {
	if Crash(context.Background()) {
		t.Fatal("Crash reported success without an invocation")
	}
}

func TestWaitCancel(t *testing.T) {
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id2); !ok {
			inv.checkpoint(waitStart(id2, 60))
			return pending
		}
		if inv.status(id2) == protocol.StatusStarted {
			u := upd(protocol.OperationTypeWait, protocol.SubTypeWait, id2, "", protocol.ActionCancel)
			u.Error = &protocol.ErrorObject{ErrorType: "Cancelled"}
			inv.checkpoint(u)
		}
		return succeeded(`"` + string(inv.status(id2)) + `"`)
	})
	ctx := context.Background()
	r := NewRunner(h)
	e, err := r.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Service().wakeForTest(e)
	if err := e.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}
	if *e.Result() != `"CANCELLED"` {
		t.Fatalf("result %s", *e.Result())
	}
	h2 := e.History()
	want := []EventType{EventExecutionStarted, EventWaitStarted, EventInvocationCompleted, EventWaitCancelled,
		EventInvocationCompleted, EventExecutionSucceeded}
	if got := eventTypes(h2); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	if h2[3].Details.Error.Payload.ErrorType != "Cancelled" {
		t.Fatalf("WaitCancelled details %+v", h2[3].Details)
	}
	if e.Clock() != DefaultStartTime {
		t.Fatalf("the cancelled wait still moved the clock to %v", e.Clock())
	}
}

func TestDecodeOutput(t *testing.T) {
	tests := []struct {
		name   string
		output string
		valid  bool
	}{
		{"succeeded", `{"Status":"SUCCEEDED","Result":"1"}`, true},
		{"failed", `{"Status":"FAILED","Error":{"ErrorType":"E"}}`, true},
		{"failed without error", `{"Status":"FAILED"}`, true},
		{"pending", `{"Status":"PENDING"}`, true},
		{"not JSON", `nope`, false},
		{"unknown status", `{"Status":"DONE"}`, false},
		{"succeeded with error", `{"Status":"SUCCEEDED","Error":{}}`, false},
		{"failed with result", `{"Status":"FAILED","Result":"1"}`, false},
		{"pending with result", `{"Status":"PENDING","Result":"1"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeOutput([]byte(tt.output), nil, false)
			if (err == nil) != tt.valid {
				t.Fatalf("decodeOutput(%s) error = %v, want valid=%v", tt.output, err, tt.valid)
			}
		})
	}
}

// A cancelled wait is over: its timer must not move the virtual clock. An
// execution left waiting for a callback is blocked at once, not carried
// past its execution timeout to the cancelled wait's end.
func TestCancelledWaitLeavesNoTimer(t *testing.T) {
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id2); !ok {
			inv.checkpoint(waitStart(id2, 3600))
			u := upd(protocol.OperationTypeWait, protocol.SubTypeWait, id2, "", protocol.ActionCancel)
			inv.checkpoint(u)
			inv.checkpoint(upd(protocol.OperationTypeCallback, protocol.SubTypeCallback, id3, "approval", protocol.ActionStart))
		}
		if inv.status(id3) == protocol.StatusSucceeded {
			return succeeded(`"approved"`)
		}
		return pending
	})
	ctx := context.Background()
	e, err := NewRunner(h, WithExecutionTimeout(30*time.Minute)).Run(ctx, nil)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("Run = %v, status %s; want ErrBlocked on the callback", err, e.Status())
	}
	if e.Status() != ExecutionRunning || e.Clock() != DefaultStartTime {
		t.Fatalf("execution %s at +%v, want RUNNING with the clock unmoved", e.Status(), e.Clock().Sub(DefaultStartTime))
	}
	if _, ok := e.NextTimer(); ok {
		t.Error("NextTimer reports a timer although the only wait was cancelled")
	}
}

// Lambda refuses a function response over 6 MiB (protocol §1.4): an
// envelope that large fails its invocation, as it would in Lambda, instead
// of completing the execution; one of exactly 6 MiB is accepted.
func TestResponseOverSixMiBFailsTheInvocation(t *testing.T) {
	overhead := len(`{"Status":"SUCCEEDED","Result":""}`)
	calls := 0
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		calls++
		size := 6<<20 - overhead
		if calls == 1 {
			size++
		}
		return succeeded(strings.Repeat("x", size))
	})
	e := run(t, h, nil)
	invs := e.Invocations()
	if len(invs) != 2 || e.Status() != ExecutionSucceeded {
		t.Fatalf("%d invocations, execution %s; want the second to succeed", len(invs), e.Status())
	}
	if !invs[0].Crashed() || invs[1].Crashed() {
		t.Fatalf("invocation errors %v, %v; want only the first, too large, to fail", invs[0].Err, invs[1].Err)
	}
	first := e.History()[1]
	if first.EventType != EventInvocationCompleted || first.Details.Error == nil ||
		first.Details.Error.Payload.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Fatalf("event 2 = %s %+v, want InvocationCompleted with Function.ResponseSizeTooLarge", first.EventType, first.Details.Error)
	}
}
