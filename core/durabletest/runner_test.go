package durabletest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/core/protocol"
)

// retryingStep fails its first attempts, RETRYing with a delay, then
// succeeds.
func retryingStep(failures, delay int) raw {
	return func(inv *rawInvocation) protocol.InvocationOutput {
		op, ok := inv.op(id1)
		switch {
		case ok && op.Status == protocol.StatusSucceeded:
			return succeeded(*op.StepDetails.Result)
		case ok && op.Status == protocol.StatusPending:
			return pending
		}
		attempt := 1
		if ok {
			attempt = op.StepDetails.Attempt + 1
		}
		if _, err := inv.checkpoint(stepUpd(id1, "flaky", protocol.ActionStart)); err != nil {
			return pending
		}
		if attempt > failures {
			inv.checkpoint(stepSucceed(id1, "flaky", `"ok"`))
			return succeeded(`"ok"`)
		}
		u := stepUpd(id1, "flaky", protocol.ActionRetry)
		u.Error = &protocol.ErrorObject{ErrorType: "Flaky", ErrorMessage: "try again"}
		u.StepOptions = &protocol.StepOptions{NextAttemptDelaySeconds: delay}
		inv.checkpoint(u)
		return pending
	}
}

func TestStepRetry(t *testing.T) {
	ctx := context.Background()
	e, err := NewRunner(retryingStep(1, 10)).Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := DefaultStartTime
	steps := []struct {
		name        string
		advance     time.Duration
		status      protocol.OperationStatus
		attempt     int
		invocations int
	}{
		{"pending after RETRY", 0, protocol.StatusPending, 1, 1},
		{"still pending just before the delay", 9 * time.Second, protocol.StatusPending, 1, 1},
		{"retried when due", time.Second, protocol.StatusSucceeded, 2, 2},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := e.Advance(ctx, st.advance); err != nil {
				t.Fatal(err)
			}
			op, _ := e.Operation(id1)
			if op.Status != st.status || op.StepDetails.Attempt != st.attempt {
				t.Fatalf("step %s attempt %d, want %s attempt %d", op.Status, op.StepDetails.Attempt, st.status, st.attempt)
			}
			if n := len(e.Invocations()); n != st.invocations {
				t.Fatalf("%d invocations, want %d", n, st.invocations)
			}
			if st.status == protocol.StatusPending && !op.StepDetails.NextAttemptTimestamp.Equal(t0.Add(10*time.Second)) {
				t.Fatalf("NextAttemptTimestamp %v, want start+10s", op.StepDetails.NextAttemptTimestamp)
			}
		})
	}
	if got := e.Invocations()[1].Start; !got.Equal(t0.Add(10 * time.Second)) {
		t.Errorf("second invocation at %v, want at the retry's due time", got)
	}
	want := []EventType{EventExecutionStarted, EventStepStarted, EventStepFailed, EventInvocationCompleted,
		EventStepStarted, EventStepSucceeded, EventInvocationCompleted, EventExecutionSucceeded}
	h := e.History()
	if got := eventTypes(h); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	if r := h[2].Details.RetryDetails; r == nil || *r != (RetryDetails{CurrentAttempt: 1, NextAttemptDelaySeconds: 10}) {
		t.Errorf("StepFailed RetryDetails %+v", r)
	}
	if r := h[5].Details.RetryDetails; r == nil || *r != (RetryDetails{CurrentAttempt: 2}) {
		t.Errorf("StepSucceeded RetryDetails %+v", r)
	}
	if h[2].Details.Error.Payload.ErrorType != "Flaky" {
		t.Errorf("StepFailed error %+v", h[2].Details.Error.Payload)
	}
}

// A RETRY with a Payload (wait_for_condition) records a StepSucceeded with
// the state and keeps it as the step's Result.
func TestConditionRetryKeepsState(t *testing.T) {
	var seen []string
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		op, ok := inv.op(id1)
		if ok && op.Status == protocol.StatusPending {
			return pending
		}
		state := "0"
		if ok && op.StepDetails.Result != nil {
			state = *op.StepDetails.Result
		}
		seen = append(seen, state)
		u := upd(protocol.OperationTypeStep, protocol.SubTypeWaitForCondition, id1, "", protocol.ActionStart)
		inv.checkpoint(u)
		if state == "2" {
			u.Action, u.Payload = protocol.ActionSucceed, str(state)
			inv.checkpoint(u)
			return succeeded(state)
		}
		u.Action, u.Payload = protocol.ActionRetry, str(string(rune(state[0]+1)))
		u.StepOptions = &protocol.StepOptions{NextAttemptDelaySeconds: 5}
		inv.checkpoint(u)
		return pending
	})
	e := run(t, h, nil)
	if !slices.Equal(seen, []string{"0", "1", "2"}) {
		t.Fatalf("states seen %v", seen)
	}
	ev := e.History()[2]
	if ev.EventType != EventStepSucceeded || *ev.Details.Result.Payload != "1" || ev.Details.RetryDetails.NextAttemptDelaySeconds != 5 {
		t.Fatalf("event 3 = %+v, want StepSucceeded with state 1 and a 5 s delay", ev)
	}
	if got := e.Clock().Sub(DefaultStartTime); got != 10*time.Second {
		t.Fatalf("clock advanced %v, want 10s", got)
	}
}

func TestLongWaitUsesVirtualTime(t *testing.T) {
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id2); !ok {
			inv.checkpoint(waitStart(id2, 3600))
		}
		if inv.status(id2) != protocol.StatusSucceeded {
			return pending
		}
		return succeeded("1")
	})
	start := time.Now()
	e := run(t, h, nil, WithStartTime(time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)))
	if e.Status() != ExecutionSucceeded {
		t.Fatalf("status %s", e.Status())
	}
	if got := e.Clock(); !got.Equal(time.Date(2030, 5, 1, 13, 0, 0, 0, time.UTC)) {
		t.Fatalf("clock %v, want one hour after the start", got)
	}
	if elapsed := time.Since(start); elapsed > time.Minute {
		t.Fatalf("a virtual hour took %v of real time", elapsed)
	}
}

func TestAdvanceFiresTimersInOrder(t *testing.T) {
	// Two waits of 3 s and 7 s started together; each is observed by the
	// invocation at its own instant.
	var at []time.Duration
	var svc *Service
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		at = append(at, svc.Now().Sub(DefaultStartTime))
		if _, ok := inv.op(id1); !ok {
			w1, w2 := waitStart(id1, 7), waitStart(id2, 3)
			inv.checkpoint(w1, w2)
		}
		if inv.status(id1) == protocol.StatusSucceeded && inv.status(id2) == protocol.StatusSucceeded {
			return succeeded("null")
		}
		return pending
	})
	r := NewRunner(h)
	svc = r.Service()
	ctx := context.Background()
	e, err := r.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if next, ok := e.NextTimer(); !ok || !next.Equal(DefaultStartTime.Add(3*time.Second)) {
		t.Fatalf("NextTimer %v %v, want start+3s", next, ok)
	}
	if err := e.Advance(ctx, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{0, 3 * time.Second, 7 * time.Second}; !slices.Equal(at, want) {
		t.Fatalf("invocations at %v, want %v", at, want)
	}
	if got := e.Clock().Sub(DefaultStartTime); got != 10*time.Second {
		t.Fatalf("clock at +%v, want +10s", got)
	}
	if err := e.Advance(ctx, -time.Second); err == nil {
		t.Fatal("Advance accepted a negative duration")
	}
}

func TestLambdaContext(t *testing.T) {
	var requests []string
	var tenants []string
	var arns []string
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		lc, ok := lambdacontext.FromContext(inv.ctx)
		if !ok {
			t.Fatal("no LambdaContext")
		}
		requests = append(requests, lc.AwsRequestID)
		tenants = append(tenants, lc.TenantID)
		arns = append(arns, lc.InvokedFunctionArn)
		if _, ok := inv.op(id2); !ok {
			inv.checkpoint(waitStart(id2, 1))
			return pending
		}
		return succeeded("null")
	})
	e := run(t, h, nil, WithTenantID("tenant-7"), WithFunctionName("orders"))
	if len(requests) != 2 || requests[0] == requests[1] || requests[0] == "" {
		t.Fatalf("request ids %v, want two distinct ones", requests)
	}
	if !slices.Equal(tenants, []string{"tenant-7", "tenant-7"}) {
		t.Fatalf("tenant ids %v", tenants)
	}
	if arns[0] != "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST" {
		t.Fatalf("InvokedFunctionArn %q", arns[0])
	}
	if inv := e.Invocations(); inv[0].RequestID != requests[0] || inv[1].RequestID != requests[1] {
		t.Fatalf("Invocations() request ids differ from the handler's")
	}
	wantPrefix := "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/"
	if arn := e.Arn(); len(arn) <= len(wantPrefix) || arn[:len(wantPrefix)] != wantPrefix {
		t.Fatalf("ARN %q", arn)
	}
	if x := e.Operations()[0]; x.Type != protocol.OperationTypeExecution || e.Arn()[len(e.Arn())-len(x.ID):] != x.ID {
		t.Fatalf("EXECUTION operation %+v is not keyed by the ARN's last segment", x)
	}
}

func TestExecutionOutcomes(t *testing.T) {
	tests := []struct {
		name      string
		handler   raw
		opts      []Option
		status    string
		result    *string
		errorType string
		last      EventType
	}{
		{
			name:    "succeeded",
			handler: func(*rawInvocation) protocol.InvocationOutput { return succeeded(`{"a":1}`) },
			status:  ExecutionSucceeded, result: str(`{"a":1}`), last: EventExecutionSucceeded,
		},
		{
			name:    "failed",
			handler: func(*rawInvocation) protocol.InvocationOutput { return failedOut("Boom", "no") },
			status:  ExecutionFailed, errorType: "Boom", last: EventExecutionFailed,
		},
		{
			name:    "pending with nothing pending",
			handler: func(*rawInvocation) protocol.InvocationOutput { return pending },
			status:  ExecutionFailed, errorType: ErrorTypeInvalidOutput, last: EventExecutionFailed,
		},
		{
			name: "large result checkpointed",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				u := upd(protocol.OperationTypeExecution, "", "execution-result-1", "", protocol.ActionSucceed)
				u.Payload = str(`"big"`)
				resp, err := inv.checkpoint(u)
				if err != nil || resp.CheckpointToken != "" {
					t.Errorf("completing checkpoint: token %q, err %v; want no token", resp.CheckpointToken, err)
				}
				if _, err := inv.try(); err == nil {
					t.Error("a checkpoint after completion was accepted")
				}
				return succeeded("")
			},
			status: ExecutionSucceeded, result: str(`"big"`), last: EventExecutionSucceeded,
		},
		{
			name: "large error checkpointed",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				u := upd(protocol.OperationTypeExecution, "", "execution-result-1", "", protocol.ActionFail)
				u.Error = &protocol.ErrorObject{ErrorType: "Huge"}
				inv.checkpoint(u)
				return protocol.InvocationOutput{Status: protocol.InvocationFailed}
			},
			status: ExecutionFailed, errorType: "Huge", last: EventExecutionFailed,
		},
		{
			name:    "crashing forever",
			handler: func(*rawInvocation) protocol.InvocationOutput { panic("always") },
			opts:    []Option{WithMaxInvocations(3)},
			status:  ExecutionFailed, errorType: ErrorTypeMaxInvocations, last: EventExecutionFailed,
		},
		{
			name: "execution timeout",
			handler: func(inv *rawInvocation) protocol.InvocationOutput {
				if _, ok := inv.op(id2); !ok {
					inv.checkpoint(waitStart(id2, 120))
				}
				return pending
			},
			opts:   []Option{WithExecutionTimeout(time.Minute)},
			status: ExecutionTimedOut, errorType: ErrorTypeExecutionTimeout, last: EventExecutionTimedOut,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := run(t, tt.handler, nil, tt.opts...)
			if e.Status() != tt.status {
				t.Fatalf("status %s, want %s (error %+v)", e.Status(), tt.status, e.Error())
			}
			if got := e.Result(); (got == nil) != (tt.result == nil) || (got != nil && *got != *tt.result) {
				t.Fatalf("result %v, want %v", got, tt.result)
			}
			if tt.errorType != "" && (e.Error() == nil || e.Error().ErrorType != tt.errorType) {
				t.Fatalf("error %+v, want type %s", e.Error(), tt.errorType)
			}
			h := e.History()
			if got := h[len(h)-1].EventType; got != tt.last {
				t.Fatalf("last event %s, want %s", got, tt.last)
			}
			if x := e.Operations()[0]; string(x.Status) != tt.status || x.EndTimestamp == nil {
				t.Fatalf("EXECUTION operation %s end %v, want %s with an end", x.Status, x.EndTimestamp, tt.status)
			}
		})
	}
}

func TestExecutionEventFollowsInvocationCompleted(t *testing.T) {
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		u := upd(protocol.OperationTypeExecution, "", "execution-result-1", "", protocol.ActionSucceed)
		u.Payload = str("1")
		inv.checkpoint(stepUpd(id1, "s", protocol.ActionStart), u)
		return succeeded("")
	})
	got := eventTypes(run(t, h, nil).History())
	want := []EventType{EventExecutionStarted, EventStepStarted, EventInvocationCompleted, EventExecutionSucceeded}
	if !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
}

func TestStop(t *testing.T) {
	ctx := context.Background()
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id2); !ok {
			inv.checkpoint(waitStart(id2, 60))
		}
		return pending
	})
	e, err := NewRunner(h).Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Stop(ctx, &protocol.ErrorObject{ErrorMessage: "operator"}); err != nil {
		t.Fatal(err)
	}
	if err := e.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}
	if e.Status() != ExecutionStopped || e.Error().ErrorMessage != "operator" {
		t.Fatalf("status %s error %+v", e.Status(), e.Error())
	}
	if n := len(e.Invocations()); n != 1 {
		t.Fatalf("%d invocations after stop, want 1", n)
	}
	if _, ok := e.NextTimer(); ok {
		t.Fatal("a stopped execution still has timers")
	}
	apiError(t, e.Stop(ctx, nil), "InvalidParameterValueException")
}

func TestRunnerIsNotReentrant(t *testing.T) {
	var inner error
	var e *Execution
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if e != nil {
			inner = e.RunUntilIdle(inv.ctx)
		}
		return succeeded("null")
	})
	r := NewRunner(h)
	ctx := context.Background()
	e, _ = r.Start(ctx, nil)
	if _, err := r.Start(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(inner, ErrBusy) {
		t.Fatalf("RunUntilIdle from a handler = %v, want ErrBusy", inner)
	}
}

func TestServiceLatencyModelsRoundTrips(t *testing.T) {
	const d = 20 * time.Millisecond
	e, err := NewRunner(retryingStep(1, 10), WithServiceLatency(d)).Run(context.Background(), nil)
	if err != nil || e.Status() != ExecutionSucceeded {
		t.Fatalf("run: %v %s", err, e.Status())
	}
	invs := e.Invocations()
	if len(invs) != 2 {
		t.Fatalf("%d invocations, want 2", len(invs))
	}
	// Each invocation makes two checkpoint calls (START and RETRY, START
	// and SUCCEED), so it lasts two round trips of virtual time.
	for _, inv := range invs {
		if got := inv.End.Sub(inv.Start); got != 2*d {
			t.Errorf("invocation %d took %v of virtual time, want %v", inv.Index, got, 2*d)
		}
	}
	st := e.Stats()
	if st.CheckpointCalls != 4 {
		t.Errorf("%d checkpoint calls, want 4", st.CheckpointCalls)
	}
	h := e.History()
	t0 := DefaultStartTime
	// The first attempt is recorded after one round trip, its failure
	// after two; the retry is due ten seconds after that.
	if h[1].EventType != EventStepStarted || !h[1].EventTimestamp.Equal(t0.Add(d)) {
		t.Errorf("event 2 = %s at %v, want StepStarted at %v", h[1].EventType, h[1].EventTimestamp, t0.Add(d))
	}
	if h[2].EventType != EventStepFailed || !h[2].EventTimestamp.Equal(t0.Add(2*d)) {
		t.Errorf("event 3 = %s at %v, want StepFailed at %v", h[2].EventType, h[2].EventTimestamp, t0.Add(2*d))
	}
	if due := t0.Add(2*d + 10*time.Second); !invs[1].Start.Equal(due) {
		t.Errorf("second invocation started at %v, want %v when the retry came due", invs[1].Start, due)
	}
}

// StopDurableExecution during an invocation records ExecutionStopped when
// the execution stops, not after the invocation ends: history events are
// in chronological order (protocol §9.2), and only the handler's own
// completion follows its InvocationCompleted.
func TestStopDuringInvocationIsRecordedWhenItHappens(t *testing.T) {
	var stopErr, afterStop error
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		inv.checkpoint(stepUpd(id1, "s", protocol.ActionStart))
		stopErr = inv.exec().Stop(inv.ctx, &protocol.ErrorObject{ErrorMessage: "operator"})
		_, afterStop = inv.try(stepSucceed(id1, "s", "1"))
		return pending
	})
	e, err := NewRunner(h, WithServiceLatency(time.Second)).Start(context.Background(), nil)
	if err != nil || stopErr != nil {
		t.Fatalf("Start: %v, Stop: %v", err, stopErr)
	}
	apiError(t, afterStop, "InvalidParameterValueException")
	hist := e.History()
	got := eventTypes(hist)
	want := []EventType{EventExecutionStarted, EventStepStarted, EventExecutionStopped, EventInvocationCompleted}
	if !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	for i := 1; i < len(hist); i++ {
		if hist[i].EventTimestamp.Before(hist[i-1].EventTimestamp) {
			t.Errorf("event %d %s at +%v precedes event %d %s at +%v", hist[i].EventID, hist[i].EventType,
				hist[i].EventTimestamp.Sub(DefaultStartTime), hist[i-1].EventID, hist[i-1].EventType, hist[i-1].EventTimestamp.Sub(DefaultStartTime))
		}
	}
}
