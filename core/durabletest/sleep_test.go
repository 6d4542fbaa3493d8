package durabletest

import (
	"context"
	"testing"
	"time"

	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// Virtual time passes inside an invocation through Sleep; a wait whose
// time has come ends at its time, and the invocation's next checkpoint
// call (one without updates too) reports it. The runtime's clock wakes it
// when the time it waits for is reached.
func TestSleepEndsAWaitDuringTheInvocation(t *testing.T) {
	var statuses []protocol.OperationStatus
	var rangEarly, rang, slept bool
	h := raw(func(inv *rawInvocation) protocol.InvocationOutput {
		clock := testhook.ClockFrom(inv.ctx)
		if clock == nil {
			t.Error("no clock in the invocation's context")
			return pending
		}
		if _, err := inv.checkpoint(waitStart(id1, 2)); err != nil {
			return pending
		}
		alarm, release := clock.At(clock.Now().Add(2 * time.Second))
		defer release()
		slept = Sleep(inv.ctx, time.Second)
		_, _ = inv.checkpoint()
		statuses = append(statuses, inv.status(id1))
		select {
		case <-alarm:
			rangEarly = true
		default:
		}
		Sleep(inv.ctx, time.Second)
		select {
		case <-alarm:
			rang = true
		default:
		}
		_, _ = inv.checkpoint()
		statuses = append(statuses, inv.status(id1))
		return succeeded("null")
	})
	e, err := NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status() != ExecutionSucceeded || len(e.Invocations()) != 1 {
		t.Fatalf("status %s after %d invocations, want SUCCEEDED after 1", e.Status(), len(e.Invocations()))
	}
	if !slept {
		t.Error("Sleep inside the invocation reported no invocation")
	}
	if want := []protocol.OperationStatus{protocol.StatusStarted, protocol.StatusSucceeded}; len(statuses) != 2 || statuses[0] != want[0] || statuses[1] != want[1] {
		t.Errorf("wait status after 1 s and 2 s: %v, want %v", statuses, want)
	}
	if rangEarly || !rang {
		t.Errorf("alarm at 2 s: rang after 1 s %v, after 2 s %v; want false, true", rangEarly, rang)
	}
	for _, ev := range e.History() {
		if ev.EventType == EventWaitSucceeded && !ev.EventTimestamp.Equal(DefaultStartTime.Add(2*time.Second)) {
			t.Errorf("the wait succeeded at %v, want at its scheduled end", ev.EventTimestamp)
		}
	}
	if Sleep(context.Background(), time.Second) {
		t.Error("Sleep outside an invocation reported one")
	}
}

// A Host (the durable-local command's service) completes a wait at its
// time while the invocation runs, and an empty checkpoint reports it: a
// runtime can resume a map item or parallel branch in the same invocation
// there too.
func TestHostEmptyCheckpointReportsAWaitEndedDuringTheInvocation(t *testing.T) {
	var statuses []protocol.OperationStatus
	h := NewHost(nil)
	h.Register("fn", raw(func(inv *rawInvocation) protocol.InvocationOutput {
		if _, err := inv.checkpoint(waitStart(id1, 1)); err != nil {
			return pending
		}
		_, _ = inv.checkpoint()
		statuses = append(statuses, inv.status(id1))
		Sleep(inv.ctx, 2*time.Second) // the work the invocation does meanwhile
		_, _ = inv.checkpoint()
		statuses = append(statuses, inv.status(id1))
		return succeeded("null")
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan string, 100)
	defer h.Subscribe(func(arn string) { changes <- arn })()
	go func() { _ = h.Run(ctx) }()
	e, _, err := h.Start("fn", "", "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for e.Status() == ExecutionRunning {
		<-changes
	}
	if e.Status() != ExecutionSucceeded || len(e.Invocations()) != 1 {
		t.Fatalf("status %s after %d invocations, want SUCCEEDED after 1", e.Status(), len(e.Invocations()))
	}
	if want := []protocol.OperationStatus{protocol.StatusStarted, protocol.StatusSucceeded}; len(statuses) != 2 || statuses[0] != want[0] || statuses[1] != want[1] {
		t.Errorf("wait status at once and after 2 s: %v, want %v", statuses, want)
	}
}
