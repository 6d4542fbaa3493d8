package durable_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/plugin"
)

// fnLog records function starts and ends with the invocation they came in.
type fnLog struct {
	plugin.Base
	mu     sync.Mutex
	inv    int
	events []string
}

func (l *fnLog) OnInvocationStart(context.Context, *plugin.InvocationInfo) {
	l.mu.Lock()
	l.inv++
	l.mu.Unlock()
}

func (*fnLog) OnInvocationEnd(context.Context, *plugin.InvocationInfo) {}

func (l *fnLog) OnFunctionStart(_ context.Context, f *plugin.FunctionInfo) {
	l.add(fmt.Sprintf("start %s", f.Name))
}

func (l *fnLog) OnFunctionEnd(_ context.Context, f *plugin.FunctionInfo) {
	l.add(fmt.Sprintf("end %s ok=%v suspended=%v", f.Name, f.Succeeded, f.Suspended))
}

func (l *fnLog) add(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf("%d: %s", l.inv, e))
}

// A child context, map item or branch that suspends (a wait inside it)
// does not return in that invocation: its end is still reported, as
// suspended, so a plugin pairing starts and ends sees every start end in
// the invocation it came in; the function starts again in the next.
func TestSuspendedFunctionsReportTheirEnd(t *testing.T) {
	log := &fnLog{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		v, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			return 1, durable.Wait(c, "in-child", time.Second)
		})
		if err != nil {
			return 0, err
		}
		res, err := durable.Map(ctx, "map", []int{1}, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return item, durable.Wait(c, "in-item", time.Second)
		}, durable.WithItemNamer(func(int) string { return "item" }))
		if err != nil {
			return 0, err
		}
		return v + res.SuccessCount(), nil
	}, durable.WithPlugins(log))
	exec := run(t, h, nil)
	wantResult(t, exec, "2")
	want := []string{
		"1: start child", "1: end child ok=false suspended=true",
		"2: start child", "2: end child ok=true suspended=false",
		"2: start item", "2: end item ok=false suspended=true",
		"3: start item", "3: end item ok=true suspended=false",
	}
	if !slices.Equal(log.events, want) {
		t.Errorf("function events:\n got %q\nwant %q", log.events, want)
	}
}

// A call that fails the whole execution (its result cannot be serialized)
// reports its end, FAILED, as do the calls around it: a plugin sees no
// start left without its end when the invocation fails.
func TestOperationsEndWhenTheInvocationFailsInsideThem(t *testing.T) {
	rec := &recorder{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.RunInChildContext(ctx, "outer", func(c *durable.Context) (int, error) {
			_, err := durable.Step(c, "unserializable", func(*durable.StepContext) (chan int, error) { return make(chan int), nil })
			return 0, err
		})
	}, durable.WithPlugins(rec))
	exec := run(t, h, nil)
	if exec.Status() != "FAILED" {
		t.Fatalf("execution %s, want FAILED", exec.Status())
	}
	for _, event := range []string{"operation-end STEP unserializable FAILED", "operation-end CONTEXT outer FAILED"} {
		if got := rec.count(event); got != 1 {
			t.Errorf("%q seen %d times, want 1\nall: %v", event, got, rec.events)
		}
	}
}
