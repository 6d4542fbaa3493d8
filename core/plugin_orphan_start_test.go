package durable_test

import (
	"context"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/plugin"
)

// lateStartLog counts starts and ends by name, and holds the start of the
// operation named late until the operation named until has ended.
type lateStartLog struct {
	plugin.Base
	late, until string
	mu          sync.Mutex
	starts      map[string]int
	ends        map[string][]plugin.OperationInfo
	ended       chan struct{}
}

func (l *lateStartLog) OnOperationStart(_ context.Context, o *plugin.OperationInfo) {
	if o.Name == l.late {
		select {
		case <-l.ended:
		//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
		case <-time.After(30 * time.Second):
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.starts[o.Name]++
}

func (l *lateStartLog) OnOperationEnd(_ context.Context, o *plugin.OperationInfo) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ends[o.Name] = append(l.ends[o.Name], *o)
	if o.Name == l.until {
		close(l.ended)
	}
}

// A map item whose goroutine reaches its START only after its batch has
// completed (the batch's completion was checkpointed while the item was
// being started: here a plugin's OnOperationStart holds it) is refused
// that START, so it has no record the batch's abandoned report could
// find: its end is reported as abandoned all the same, once, so that its
// start does not stay open.
func TestItemStartedAfterItsBatchCompletedReportsItsEnd(t *testing.T) {
	log := &lateStartLog{late: "late", until: "m", starts: map[string]int{}, ends: map[string][]plugin.OperationInfo{}, ended: make(chan struct{})}
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
