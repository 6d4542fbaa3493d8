package durabletest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// A Host runs executions concurrently, but never two invocations of one
// execution at once, as Lambda durable executions never are: callbacks
// completing in quick succession while invocations start must not make an
// execution due, and invoked, a second time before its invocation began.
func TestHostInvokesAnExecutionOneAtATime(t *testing.T) {
	const callbacks, executions = 20, 40
	var mu sync.Mutex
	running := map[string]int{}
	overlaps := 0
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		arn := inv.event.DurableExecutionArn
		mu.Lock()
		running[arn]++
		if running[arn] > 1 {
			overlaps++
		}
		mu.Unlock()
		defer func() { mu.Lock(); running[arn]--; mu.Unlock() }()
		time.Sleep(time.Millisecond) // long enough for an overlap to show
		if len(inv.ops) == 1 {
			var us []protocol.OperationUpdate
			for i := 0; i < callbacks; i++ {
				us = append(us, upd(protocol.OperationTypeCallback, protocol.SubTypeCallback, fmt.Sprintf("cb%d", i), "", protocol.ActionStart))
			}
			if _, err := inv.checkpoint(us...); err != nil {
				return pending
			}
		}
		for _, op := range inv.ops {
			if op.Type == protocol.OperationTypeCallback && op.Status == protocol.StatusStarted {
				return pending
			}
		}
		return succeeded("1")
	})
	host := NewHost(nil)
	host.Register("f", h)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = host.Run(ctx) }()
	defer wg.Wait()
	defer cancel()
	done := make(chan struct{}, 1)
	defer host.Subscribe(func(string) {
		select {
		case done <- struct{}{}:
		default:
		}
	})()
	var es []*Execution
	for i := 0; i < executions; i++ {
		e, _, _ := host.Start("f", "", "", nil, "")
		es = append(es, e)
	}
	for _, e := range es {
		for len(e.Callbacks()) < callbacks {
			<-done
		}
	}
	for i := 0; i < callbacks; i++ {
		for _, e := range es {
			if err := host.SendCallbackSuccess(ctx, e.Callbacks()[i].CallbackDetails.CallbackID, []byte("x")); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, e := range es {
		for e.Status() == ExecutionRunning {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("stuck: %s", e.Status())
			}
		}
	}
	if overlaps > 0 {
		t.Fatalf("%d invocations overlapped another of the same execution", overlaps)
	}
}
