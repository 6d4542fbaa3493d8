package durable_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// endLog records the OnOperationEnd calls by operation name.
type endLog struct {
	plugin.Base
	mu   sync.Mutex
	ends map[string][]plugin.OperationInfo
}

func (*endLog) OnOperationStart(context.Context, *plugin.OperationInfo) {}
func (l *endLog) OnOperationEnd(_ context.Context, o *plugin.OperationInfo) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ends[o.Name] = append(l.ends[o.Name], *o)
}

// A batch item still unfinished when its batch completes never ends: the
// invocation that completes the batch reports its end once, as abandoned
// (STARTED), and the invocations replaying the batch afterwards do not.
func TestAbandonedBatchItemsReportTheirEndOnce(t *testing.T) {
	// item "slow" starts, then suspends in a long wait; item "fast"
	// succeeds (or fails) once "slow" has started, which completes the
	// batch. A wait after the batch makes a later invocation replay it.
	slowItem := func(started chan struct{}, once *sync.Once) func(c *durable.Context) (int, error) {
		return func(c *durable.Context) (int, error) {
			once.Do(func() { close(started) })
			return 0, durable.Wait(c, "long", time.Hour)
		}
	}
	fastItem := func(started chan struct{}, fail bool) func(c *durable.Context) (int, error) {
		return func(c *durable.Context) (int, error) {
			<-started
			return durable.Step(c, "s", func(*durable.StepContext) (int, error) {
				if fail {
					return 0, errors.New("fails")
				}
				return 1, nil
			}, durable.WithRetryStrategy(durable.NoRetry))
		}
	}
	tests := []struct {
		name   string
		reason durable.CompletionReason
		batch  func(ctx *durable.Context, started chan struct{}, once *sync.Once) (*durable.BatchResult[int], error)
	}{
		{"map, min successful reached", durable.MinSuccessfulReached, func(ctx *durable.Context, started chan struct{}, once *sync.Once) (*durable.BatchResult[int], error) {
			return durable.Map(ctx, "m", []string{"fast", "slow"}, func(c *durable.Context, item string, _ int, _ []string) (int, error) {
				if item == "slow" {
					return slowItem(started, once)(c)
				}
				return fastItem(started, false)(c)
			}, durable.WithMinSuccessful(1), durable.WithItemNamer(func(i int) string { return []string{"fast", "slow"}[i] }))
		}},
		{"parallel, failure tolerance exceeded", durable.FailureToleranceExceeded, func(ctx *durable.Context, started chan struct{}, once *sync.Once) (*durable.BatchResult[int], error) {
			return durable.Parallel(ctx, "p", []durable.Branch[int]{
				{Name: "fast", Func: fastItem(started, true)},
				{Name: "slow", Func: slowItem(started, once)},
			}, durable.WithToleratedFailures(0))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &endLog{ends: map[string][]plugin.OperationInfo{}}
			started, once := make(chan struct{}), new(sync.Once)
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				res, err := tt.batch(ctx, started, once)
				if err != nil {
					return "", err
				}
				if err := durable.Wait(ctx, "after", time.Second); err != nil {
					return "", err
				}
				return string(res.CompletionReason), nil
			}, durable.WithPlugins(log))
			wantResult(t, run(t, h, nil), `"`+string(tt.reason)+`"`)

			slow := log.ends["slow"]
			if len(slow) != 1 {
				t.Fatalf("end of the abandoned item reported %d times, want once: %+v", len(slow), slow)
			}
			if e := slow[0]; !e.Abandoned || e.Status != protocol.StatusStarted || e.StartTimestamp.IsZero() || e.EndTimestamp.Before(e.StartTimestamp) {
				t.Errorf("abandoned item's end %+v, want Abandoned, STARTED, its start and the batch's end", e)
			}
			if fast := log.ends["fast"]; len(fast) != 1 || fast[0].Abandoned || !fast[0].Status.Terminal() {
				t.Errorf("finished item's ends %+v, want one, not abandoned", fast)
			}
			if n := len(log.ends["long"]); n != 0 {
				t.Errorf("the wait inside the abandoned item reported %d ends, want none (it never ends)", n)
			}
		})
	}
}
