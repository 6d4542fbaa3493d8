package durabletest_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// A Host restored from snapshots carries on: a waiting execution wakes up,
// a callback can still be completed, and the history continues.
func TestHostRestoresExecutionsFromSnapshots(t *testing.T) {
	ids := make(chan string, 4)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		v, err := approval(ctx, ids)
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "nap", 2*time.Second); err != nil {
			return "", err
		}
		return "got " + v, nil
	})
	first := durabletest.NewHost(nil)
	first.Register("f", fn)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { defer close(stopped); _ = first.Run(ctx) }()
	e, _, _ := first.Start("f", "", "keep", nil, "")
	id := <-ids
	waitUntil(t, first, func() bool { return !e.Invoking() && len(e.Invocations()) == 1 })
	cancel()
	<-stopped
	second, restored := restart(t, first, e, fn)
	if got, want := restored.History(), e.History(); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored history differs from the snapshot's:\n%+v\nwant\n%+v", got, want)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go func() { _ = second.Run(ctx2) }()
	if err := second.SendCallbackSuccess(context.Background(), id, []byte("yes")); err != nil {
		t.Fatalf("the restored callback: %v", err)
	}
	waitUntil(t, second, func() bool { return restored.Status() != durabletest.ExecutionRunning })
	if r := restored.Result(); r == nil || *r != `"got yes"` {
		t.Fatalf("restored execution: %s %v %+v", restored.Status(), r, restored.Error())
	}
	if n := len(restored.Invocations()); n != 3 {
		t.Errorf("%d invocations, want 3 (one before the restart, two after)", n)
	}
	h := restored.History()
	for i, ev := range h {
		if ev.EventID != i+1 {
			t.Fatalf("event %d has id %d: the history did not continue", i, ev.EventID)
		}
	}
	if last := h[len(h)-1].EventType; last != durabletest.EventExecutionSucceeded {
		t.Errorf("last event %s", last)
	}
}

// restart restores e, from a snapshot first took of it, in a new skip-time
// Host (not yet running) where fn is function f.
func restart(t *testing.T, first *durabletest.Host, e *durabletest.Execution, fn durabletest.Handler) (*durabletest.Host, *durabletest.Execution) {
	t.Helper()
	snap, err := first.Snapshot(e.Arn())
	if err != nil {
		t.Fatal(err)
	}
	second := durabletest.NewHost(nil, durabletest.WithSkipTime())
	second.Register("f", fn)
	if err := second.Restore([][]byte{snap}); err != nil {
		t.Fatal(err)
	}
	restored, err := second.Execution(e.Arn())
	if err != nil {
		t.Fatal(err)
	}
	return second, restored
}

// approval waits for a callback named approve, telling ids its id.
func approval(ctx *durable.Context, ids chan<- string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, "approve")
	if err != nil {
		return "", err
	}
	select {
	case ids <- cb.ID():
	default:
	}
	return cb.Result()
}

func waitUntil(t *testing.T, h *durabletest.Host, cond func() bool) {
	t.Helper()
	changed := make(chan struct{}, 1)
	defer h.Subscribe(func(string) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("condition not reached")
		}
	}
}

// A skip-time Host runs its service clock ahead of the wall clock. Restored
// by a new Host, its executions must not see time go back: what happens
// after the restart is stamped after what happened before it.
func TestHostRestoredClockDoesNotGoBack(t *testing.T) {
	ids := make(chan string, 4)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		if err := durable.Wait(ctx, "nap", time.Hour); err != nil {
			return "", err
		}
		return approval(ctx, ids)
	})
	first := durabletest.NewHost(nil, durabletest.WithSkipTime())
	first.Register("f", fn)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { defer close(stopped); _ = first.Run(ctx) }()
	e, _, _ := first.Start("f", "", "", nil, "")
	id := <-ids
	waitUntil(t, first, func() bool { return !e.Invoking() })
	cancel()
	<-stopped
	second, restored := restart(t, first, e, fn)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go func() { _ = second.Run(ctx2) }()
	if err := second.SendCallbackSuccess(context.Background(), id, []byte("yes")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, second, func() bool { return restored.Status() != durabletest.ExecutionRunning })
	h := restored.History()
	for i := 1; i < len(h); i++ {
		if h[i].EventTimestamp.Before(h[i-1].EventTimestamp) {
			t.Fatalf("event %d %s at %v comes before event %d %s at %v: the restored clock went back",
				h[i].EventID, h[i].EventType, h[i].EventTimestamp, h[i-1].EventID, h[i-1].EventType, h[i-1].EventTimestamp)
		}
	}
	if d := restored.EndTime().Sub(restored.StartTime()); d < time.Hour {
		t.Errorf("execution took %v of service time, want at least the skipped hour", d)
	}
}
