package durable_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// startEndLog records OnOperationStart and OnOperationEnd by operation name.
type startEndLog struct {
	plugin.Base
	mu     sync.Mutex
	starts map[string]int
	ends   map[string][]plugin.OperationInfo
}

func (l *startEndLog) OnOperationStart(_ context.Context, o *plugin.OperationInfo) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.starts[o.Name]++
}

func (l *startEndLog) OnOperationEnd(_ context.Context, o *plugin.OperationInfo) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ends[o.Name] = append(l.ends[o.Name], *o)
}

// An operation the SDK refuses after reporting its start (an Invoke whose
// input is over the service's limit, a Map or Parallel whose options are
// invalid) reports its end too, as FAILED with the error the code got: a
// tracer's span for it ends instead of staying open. The start and end
// balance in every invocation, the replay's included.
func TestRefusedOperationsReportTheirEnd(t *testing.T) {
	items := []int{1, 2}
	item := func(_ *durable.Context, i int, _ int, _ []int) (int, error) { return i, nil }
	tests := []struct {
		name string
		call func(ctx *durable.Context) error
		opts []durabletest.Option
		want error
	}{
		{"invoke input over the limit", func(ctx *durable.Context) error {
			_, err := durable.Invoke[int](ctx, "refused", "target", overLimit())
			return err
		}, []durabletest.Option{durabletest.WithInvokeTarget("target", durable.Handler(func(_ *durable.Context, s string) (int, error) { return len(s), nil }))}, durable.ErrPayloadTooLarge},
		{"map with max concurrency 0", func(ctx *durable.Context) error {
			_, err := durable.Map(ctx, "refused", items, item, durable.WithMaxConcurrency(0))
			return err
		}, nil, durable.ErrInvalidArgument},
		{"parallel with min successful over the branch count", func(ctx *durable.Context) error {
			_, err := durable.Parallel(ctx, "refused", []durable.Branch[int]{{Name: "b", Func: func(*durable.Context) (int, error) { return 1, nil }}}, durable.WithMinSuccessful(2))
			return err
		}, nil, durable.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &startEndLog{starts: map[string]int{}, ends: map[string][]plugin.OperationInfo{}}
			var errs []error
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				errs = append(errs, tt.call(ctx))
				return "went on", durable.Wait(ctx, "after", time.Second)
			}, durable.WithPlugins(log))
			wantResult(t, run(t, h, nil, tt.opts...), `"went on"`)
			if len(errs) < 2 {
				t.Fatalf("the call returned %d times, want a first run and a replay", len(errs))
			}
			for _, err := range errs {
				if !errors.Is(err, tt.want) {
					t.Fatalf("error %.200v; want %v", err, tt.want)
				}
			}
			log.mu.Lock()
			defer log.mu.Unlock()
			ends := log.ends["refused"]
			if log.starts["refused"] != len(errs) || len(ends) != len(errs) {
				t.Fatalf("%d calls reported %d starts and %d ends; want one of each per call", len(errs), log.starts["refused"], len(ends))
			}
			for _, e := range ends {
				if e.Status != protocol.StatusFailed || e.Error == nil || !strings.Contains(e.Error.ErrorMessage, errs[0].Error()) || e.EndTimestamp.IsZero() {
					t.Errorf("end %+v; want FAILED with the call's error %q and an end time", e, errs[0])
				}
			}
		})
	}
}
