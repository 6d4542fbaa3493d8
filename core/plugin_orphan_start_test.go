package durable_test

import (
	"context"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/plugin"
)

// lateStartLog is a startEndLog that holds the start of the operation
// named late until the operation named until has ended.
type lateStartLog struct {
	startEndLog
	late, until string
	ended       chan struct{} // closed when until ends
	lateEnded   chan struct{} // closed when late ends
}

func (l *lateStartLog) OnOperationStart(ctx context.Context, o *plugin.OperationInfo) {
	if o.Name == l.late {
		select {
		case <-l.ended:
		//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
		case <-time.After(30 * time.Second):
		}
	}
	l.startEndLog.OnOperationStart(ctx, o)
}

func (l *lateStartLog) OnOperationEnd(ctx context.Context, o *plugin.OperationInfo) {
	l.startEndLog.OnOperationEnd(ctx, o)
	switch o.Name {
	case l.until:
		close(l.ended)
	case l.late:
		close(l.lateEnded)
	}
}

// A map item whose goroutine reaches its START only after its batch has
// completed (the batch's completion was checkpointed while the item was
// being started: here a plugin's OnOperationStart holds it) is refused
// that START, so it has no record the batch's abandoned report could
// find: its end is reported as abandoned all the same, once, so that its
// start does not stay open.
func TestItemStartedAfterItsBatchCompletedReportsItsEnd(t *testing.T) {
	log := &lateStartLog{startEndLog: startEndLog{starts: map[string]int{}, ends: map[string][]plugin.OperationInfo{}}, late: "late", until: "m", ended: make(chan struct{}), lateEnded: make(chan struct{})}
	names := []string{"fast", "late"}
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Map(ctx, "m", names, func(*durable.Context, string, int, []string) (int, error) { return 1, nil },
			durable.WithMinSuccessful(1), durable.WithMaxConcurrency(2), durable.WithItemNamer(func(i int) string { return names[i] }))
		if err != nil {
			return "", err
		}
		return string(res.CompletionReason), nil
	}, durable.WithPlugins(log))
	wantResult(t, run(t, h, nil), `"`+string(durable.MinSuccessfulReached)+`"`)
	// The invocation does not wait for an orphaned item's goroutine: the
	// late item may reach its start, and report its end, after it returned.
	select {
	case <-log.lateEnded:
	//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
	case <-time.After(30 * time.Second):
		t.Fatal("the late item never reported its end")
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if log.starts["late"] != 1 {
		t.Fatalf("late item's starts %d, want 1 (the test needs it started)", log.starts["late"])
	}
	ends := log.ends["late"]
	if len(ends) != 1 || !ends[0].Abandoned || ends[0].EndTimestamp.IsZero() {
		t.Fatalf("late item's ends %+v; want one, abandoned, with an end time", ends)
	}
}
