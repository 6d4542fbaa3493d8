package durabletest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/core/protocol"
)

// invoker invokes function with its own input and returns the outcome.
func invoker(function, tenant string) raw {
	return func(inv *rawInvocation) protocol.InvocationOutput {
		if _, ok := inv.op(id1); !ok {
			u := upd(protocol.OperationTypeChainedInvoke, protocol.SubTypeChainedInvoke, id1, "call", protocol.ActionStart)
			u.Payload = inv.ops[inv.exec().id].ExecutionDetails.InputPayload
			u.ChainedInvokeOptions = &protocol.ChainedInvokeOptions{FunctionName: function, TenantID: tenant}
			if _, err := inv.checkpoint(u); err != nil {
				return pending
			}
		}
		op := inv.ops[id1]
		switch op.Status {
		case protocol.StatusStarted:
			return pending
		case protocol.StatusSucceeded:
			return succeeded(*op.ChainedInvokeDetails.Result)
		}
		return protocol.InvocationOutput{Status: protocol.InvocationFailed, Error: op.ChainedInvokeDetails.Error}
	}
}

// echo returns its input after a 30-second wait, recording its tenant.
func echo(tenants *[]string) raw {
	return func(inv *rawInvocation) protocol.InvocationOutput {
		lc, _ := lambdacontext.FromContext(inv.ctx)
		*tenants = append(*tenants, lc.TenantID)
		if _, ok := inv.op(id2); !ok {
			inv.checkpoint(waitStart(id2, 30))
		}
		if inv.status(id2) != protocol.StatusSucceeded {
			return pending
		}
		return succeeded(*inv.ops[inv.exec().id].ExecutionDetails.InputPayload)
	}
}

func TestChainedInvoke(t *testing.T) {
	boom := raw(func(*rawInvocation) protocol.InvocationOutput { return failedOut("TargetError", "boom") })
	tests := []struct {
		name       string
		function   string
		tenant     string
		status     string
		result     string
		errorType  string
		events     []EventType
		version    string
		hasTarget  bool
		targetTime time.Duration
	}{
		{
			name: "echo by ARN", function: "arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST",
			status: ExecutionSucceeded, result: `"hi"`, version: "$LATEST", hasTarget: true, targetTime: 30 * time.Second,
			events: []EventType{EventExecutionStarted, EventChainedInvokeStarted, EventInvocationCompleted,
				EventChainedInvokeSucceeded, EventInvocationCompleted, EventExecutionSucceeded},
		},
		{
			name: "echo by qualified name with tenant", function: "echo:7", tenant: "t-1",
			status: ExecutionSucceeded, result: `"hi"`, version: "7", hasTarget: true, targetTime: 30 * time.Second,
			events: []EventType{EventExecutionStarted, EventChainedInvokeStarted, EventInvocationCompleted,
				EventChainedInvokeSucceeded, EventInvocationCompleted, EventExecutionSucceeded},
		},
		{
			name: "failing target", function: "boom",
			status: ExecutionFailed, errorType: "TargetError", version: "$LATEST", hasTarget: true,
			events: []EventType{EventExecutionStarted, EventChainedInvokeStarted, EventInvocationCompleted,
				EventChainedInvokeFailed, EventInvocationCompleted, EventExecutionFailed},
		},
		{
			name: "unknown function", function: "missing",
			status: ExecutionFailed, errorType: ErrorTypeResourceNotFound, version: "$LATEST",
			events: []EventType{EventExecutionStarted, EventChainedInvokeStarted, EventChainedInvokeFailed,
				EventInvocationCompleted, EventExecutionFailed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tenants []string
			r := NewRunner(invoker(tt.function, tt.tenant), WithInvokeTarget("echo", echo(&tenants)), WithInvokeTarget("boom", boom))
			e, err := r.Run(context.Background(), "hi")
			if err != nil {
				t.Fatal(err)
			}
			if e.Status() != tt.status {
				t.Fatalf("status %s (%+v), want %s", e.Status(), e.Error(), tt.status)
			}
			if tt.result != "" && *e.Result() != tt.result {
				t.Fatalf("result %s, want %s", *e.Result(), tt.result)
			}
			if tt.errorType != "" && e.Error().ErrorType != tt.errorType {
				t.Fatalf("error %+v, want type %s", e.Error(), tt.errorType)
			}
			h := e.History()
			if got := eventTypes(h); !slices.Equal(got, tt.events) {
				t.Fatalf("history %v, want %v", got, tt.events)
			}
			started := h[1]
			if started.SubType != "" || started.ID != id1 || started.Name != "call" {
				t.Fatalf("ChainedInvokeStarted %+v: want Id and Name, no SubType", started)
			}
			d := started.Details
			if d.FunctionName != tt.function || *d.Input.Payload != `"hi"` || d.ExecutedVersion != tt.version || d.TenantID != tt.tenant {
				t.Fatalf("ChainedInvokeStarted details %+v", d)
			}
			execs := r.Executions()
			if !tt.hasTarget {
				if d.DurableExecutionArn != "" || len(execs) != 1 {
					t.Fatalf("an unknown function got an execution: %q, %d executions", d.DurableExecutionArn, len(execs))
				}
				return
			}
			target := execs[1]
			if d.DurableExecutionArn != target.Arn() || target.Status() == ExecutionRunning {
				t.Fatalf("target %s (%s), event names %s", target.Arn(), target.Status(), d.DurableExecutionArn)
			}
			if tt.targetTime > 0 {
				if got := h[3].EventTimestamp.Sub(DefaultStartTime); got != tt.targetTime {
					t.Fatalf("invoke completed at +%v, want +%v on the shared clock", got, tt.targetTime)
				}
				if !slices.Equal(tenants, []string{tt.tenant, tt.tenant}) {
					t.Fatalf("target tenants %v, want %q twice", tenants, tt.tenant)
				}
			}
		})
	}
}

func TestChainedInvokeCancel(t *testing.T) {
	var tenants []string
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		u := upd(protocol.OperationTypeChainedInvoke, protocol.SubTypeChainedInvoke, id1, "", protocol.ActionStart)
		u.ChainedInvokeOptions = &protocol.ChainedInvokeOptions{FunctionName: "echo"}
		if _, ok := inv.op(id1); !ok {
			inv.checkpoint(u)
			return pending
		}
		if inv.status(id1) == protocol.StatusStarted {
			u.Action = protocol.ActionCancel
			inv.checkpoint(u, waitStart(id2, 1))
			return pending
		}
		return succeeded(`"` + string(inv.status(id1)) + `"`)
	})
	r := NewRunner(h, WithInvokeTarget("echo", echo(&tenants)))
	ctx := context.Background()
	e, err := r.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Re-invoke the caller while the target still waits; it cancels.
	target := r.Executions()[1]
	if target.Status() != ExecutionRunning {
		t.Fatalf("target %s before cancel", target.Status())
	}
	e.svc.wakeForTest(e)
	if err := e.RunUntilIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}
	if *e.Result() != `"STOPPED"` || target.Status() != ExecutionStopped {
		t.Fatalf("caller result %s, target %s; want STOPPED both", *e.Result(), target.Status())
	}
	want := []EventType{EventExecutionStarted, EventChainedInvokeStarted, EventInvocationCompleted,
		EventChainedInvokeStopped, EventWaitStarted, EventInvocationCompleted,
		EventWaitSucceeded, EventInvocationCompleted, EventExecutionSucceeded}
	if got := eventTypes(e.History()); !slices.Equal(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
}

// wakeForTest makes e's next invocation due without any operation
// changing.
func (s *Service) wakeForTest(e *Execution) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wake(e)
}
