package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// tenStepsAndAWait runs ten steps, logs, waits a second and returns the
// sum of the steps' results.
func tenStepsAndAWait(opts ...durable.Option) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		sum := 0
		for i := range 10 {
			v, err := durable.Step(ctx, fmt.Sprintf("step-%d", i), func(*durable.StepContext) (int, error) { return i, nil })
			if err != nil {
				return 0, err
			}
			sum += v
		}
		ctx.Logger().Info("after the steps")
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return 0, err
		}
		ctx.Logger().Info("after the wait")
		return sum, nil
	}, opts...)
}

// window opens a durability window long enough that no queued outcome
// is sent early on a slow machine, so that call counts are exact.
var window = durable.WithCheckpointWindow(time.Hour)

// historyShape is the history without timestamps and request ids: what
// queuing must not change.
func historyShape(exec *durabletest.Execution) []string {
	var out []string
	for _, e := range exec.History() {
		s := fmt.Sprintf("%d %s %s %s", e.EventID, e.EventType, e.ID, e.Name)
		if r := e.Details.Result; r != nil {
			s += " result=" + deref(r.Payload)
		}
		out = append(out, s)
	}
	return out
}

func TestQueuedStepOutcomesShareTheNextCheckpoint(t *testing.T) {
	queued := run(t, tenStepsAndAWait(window), nil)
	sync := run(t, tenStepsAndAWait(), nil)
	wantResult(t, queued, "45")
	wantResult(t, sync, "45")
	// Ten steps' START and SUCCEED go with the wait's START in one call.
	if got := queued.Stats().CheckpointCalls; got != 1 {
		t.Errorf("queued outcomes: %d checkpoint calls, want 1", got)
	}
	if got := sync.Stats().CheckpointCalls; got != 11 {
		t.Errorf("without a window: %d checkpoint calls, want 11 (one per step, one for the wait)", got)
	}
	if q, s := historyShape(queued), historyShape(sync); !slices.Equal(q, s) {
		t.Errorf("queuing changed the history:\nqueued: %q\n  sync: %q", q, s)
	}
	for _, msg := range []string{"after the steps", "after the wait"} {
		if n := countEmitted(queued, msg); n != 1 {
			t.Errorf("%q printed %d times across both invocations, want 1", msg, n)
		}
	}
}

func countEmitted(exec *durabletest.Execution, msg string) int {
	n := 0
	for _, r := range exec.EmittedLogs() {
		if r.Message == msg {
			n++
		}
	}
	return n
}

// Nothing is returned to Lambda with updates still queued: outcomes
// queued before an error, a panic or a returned result are recorded.
func TestQueuedOutcomesAreSentBeforeTheInvocationEnds(t *testing.T) {
	for _, end := range []string{"return", "error", "panic"} {
		t.Run(end, func(t *testing.T) {
			h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
				for i := range 3 {
					if _, err := durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return i, nil }); err != nil {
						return 0, err
					}
				}
				switch end {
				case "error":
					return 0, errors.New("handler failed")
				case "panic":
					panic("handler panicked")
				}
				return 3, nil
			}, window)
			exec := run(t, h, nil)
			succeeded := 0
			for _, e := range exec.History() {
				if e.EventType == durabletest.EventStepSucceeded {
					succeeded++
				}
			}
			if succeeded != 3 {
				t.Errorf("%d StepSucceeded events, want 3: %v", succeeded, eventTypes(exec))
			}
			if got := exec.Stats().CheckpointCalls; got != 1 {
				t.Errorf("%d checkpoint calls, want 1 (the flush before the invocation ends)", got)
			}
		})
	}
}

// A crash inside the window re-runs the steps whose outcome was still
// queued; WithStepSync and at-most-once semantics close the window for
// their step, and without WithCheckpointWindow there is none.
func TestCrashInsideTheWindowReRunsQueuedSteps(t *testing.T) {
	tests := []struct {
		name     string
		stepOpts []durable.StepOption
		opts     []durable.Option
		runs     int32
	}{
		{"queued", nil, []durable.Option{window}, 2},
		{"WithStepSync", []durable.StepOption{durable.WithStepSync()}, []durable.Option{window}, 1},
		{"AtMostOncePerRetry", []durable.StepOption{durable.WithAtMostOncePerRetry()}, []durable.Option{window}, 1},
		{"NoWindow", nil, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int32
			var crashed atomic.Bool
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				a, err := durable.Step(ctx, "a", func(*durable.StepContext) (string, error) {
					runs.Add(1)
					return "a", nil
				}, tt.stepOpts...)
				if err != nil {
					return "", err
				}
				ctx.Logger().Info("between a and b")
				b, err := durable.Step(ctx, "b", func(sc *durable.StepContext) (string, error) {
					if !crashed.Swap(true) {
						durabletest.Crash(sc.Context())
					}
					return "b", nil
				})
				return a + b, err
			}, tt.opts...)
			exec := run(t, h, nil)
			wantResult(t, exec, `"ab"`)
			if got := runs.Load(); got != tt.runs {
				t.Errorf("step a ran %d times, want %d", got, tt.runs)
			}
			// The line between a and b prints again in every case: the crash
			// comes before anything of b is recorded, so the code after the
			// last recorded operation re-runs (README: what still prints
			// twice). Queuing moves that point back to before step a.
			if got := countEmitted(exec, "between a and b"); got != 2 {
				t.Errorf("the line after step a printed %d times, want 2", got)
			}
			checkOneSucceedEach(t, exec)
		})
	}
}

// checkOneSucceedEach fails if any operation succeeded twice.
func checkOneSucceedEach(t *testing.T, exec *durabletest.Execution) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range exec.History() {
		if strings.HasSuffix(string(e.EventType), "Succeeded") && e.EventType != durabletest.EventExecutionSucceeded {
			if seen[e.ID]++; seen[e.ID] == 2 {
				t.Errorf("operation %s (%q) has two %s events", e.ID, e.Name, e.EventType)
			}
		}
	}
}

// crashWorkflow has operations at every level: root steps, a child
// context, map items, then a wait and more steps; with a durability
// window among opts it queues their outcomes. Its result depends on every
// step.
func crashWorkflow(opts ...durable.Option) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		sum := 0
		add := func(v int, err error) error {
			sum += v
			return err
		}
		for i := range 3 {
			if err := add(durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return i + 1, nil })); err != nil {
				return 0, err
			}
		}
		err := add(durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			a, err := durable.Step(c, "in-child-1", func(*durable.StepContext) (int, error) { return 10, nil })
			if err != nil {
				return 0, err
			}
			b, err := durable.Step(c, "in-child-2", func(*durable.StepContext) (int, error) { return 20, nil })
			return a + b, err
		}))
		if err != nil {
			return 0, err
		}
		res, err := durable.Map(ctx, "map", []int{100, 200, 300}, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(c, "", func(*durable.StepContext) (int, error) { return item, nil })
		}, durable.WithMaxConcurrency(2))
		if err != nil {
			return 0, err
		}
		for _, v := range res.Results() {
			sum += v
		}
		if err := durable.Wait(ctx, "", time.Second); err != nil {
			return 0, err
		}
		for i := range 2 {
			if err := add(durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return 1000 * (i + 1), nil })); err != nil {
				return 0, err
			}
		}
		return sum, nil
	}, opts...)
}

// A crash before any single update (so at every checkpoint boundary and
// inside every batch, queued window included) ends with the crash-free
// result, and no operation succeeds twice.
func TestCrashAtEveryUpdateKeepsTheResult(t *testing.T) {
	for _, mode := range crashModes {
		t.Run(mode.name, func(t *testing.T) { crashAtEveryUpdate(t, mode.opts...) })
	}
}

// crashModes are the handler options the crash tests run under: the
// protocol's synchronous outcomes, and a durability window.
var crashModes = []struct {
	name string
	opts []durable.Option
}{{"NoWindow", nil}, {"Window", []durable.Option{durable.WithCheckpointWindow(time.Second)}}}

func crashAtEveryUpdate(t *testing.T, opts ...durable.Option) {
	clean := run(t, crashWorkflow(opts...), nil)
	want := deref(clean.Result())
	total := clean.Stats().OperationUpdates
	for k := 1; k <= total; k++ {
		var seen atomic.Int32
		exec := run(t, crashWorkflow(opts...), nil, durabletest.WithCrash(func(_ int, _ protocol.OperationUpdate) bool {
			return seen.Add(1) == int32(k)
		}))
		if exec.Status() != durabletest.ExecutionSucceeded || deref(exec.Result()) != want {
			t.Fatalf("crash before update %d of %d: %s %s %+v, want result %s", k, total, exec.Status(), deref(exec.Result()), exec.Error(), want)
		}
		crashes := 0
		for _, inv := range exec.Invocations() {
			if errors.Is(inv.Err, durabletest.ErrCrashed) {
				crashes++
			}
		}
		if crashes != 1 {
			t.Fatalf("crash before update %d: %d crashed invocations, want 1", k, crashes)
		}
		checkOneSucceedEach(t, exec)
	}
}

// A crash from inside any step body (the updates queued before it are
// lost with the process) also ends with the crash-free result.
func TestCrashInEveryStepBodyKeepsTheResult(t *testing.T) {
	for _, mode := range crashModes {
		t.Run(mode.name, func(t *testing.T) { crashInEveryStepBody(t, mode.opts...) })
	}
}

func crashInEveryStepBody(t *testing.T, opts ...durable.Option) {
	clean := run(t, crashWorkflow(opts...), nil)
	want := deref(clean.Result())
	steps := 0
	for _, op := range clean.Operations() {
		if op.Type == protocol.OperationTypeStep {
			steps++
		}
	}
	for k := 1; k <= steps; k++ {
		var bodies atomic.Int32
		fn := crashWorkflow(opts...)
		exec := run(t, fn, nil, durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool {
			// a step's SUCCEED reaching the service counts its body
			if inv == 1 && u.Type == protocol.OperationTypeStep && u.Action == protocol.ActionSucceed {
				return bodies.Add(1) == int32(k)
			}
			return false
		}))
		if exec.Status() != durabletest.ExecutionSucceeded || deref(exec.Result()) != want {
			t.Fatalf("crash at step outcome %d: %s %s, want result %s", k, exec.Status(), deref(exec.Result()), want)
		}
		checkOneSucceedEach(t, exec)
	}
}

// The window's length bounds how long a queued outcome waits while code
// still runs: with a 1 ms window, a step's outcome is sent although the
// handler blocks right after it, before any synchronous operation or the
// end.
func TestCheckpointWindowSendsQueuedOutcomes(t *testing.T) {
	sent := make(chan struct{})
	svc := &signalService{onUpdate: func(u protocol.OperationUpdate) {
		if u.Action == protocol.ActionSucceed && u.Name == "a" {
			close(sent)
		}
	}}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		if _, err := durable.Step(ctx, "a", func(*durable.StepContext) (int, error) { return 1, nil }); err != nil {
			return 0, err
		}
		select {
		case <-sent:
			return 1, nil
		//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
		case <-time.After(30 * time.Second):
			return 0, errors.New("the queued outcome was not sent before the invocation ended")
		}
	}, durable.WithCheckpointWindow(time.Millisecond), durable.WithServiceForTest(svc))
	out, err := h.Handle(context.Background(), []byte(`{"DurableExecutionArn":"arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/n/x","CheckpointToken":"t",
		"InitialExecutionState":{"Operations":[{"Id":"x","Type":"EXECUTION","Status":"STARTED"}]}}`))
	if err != nil || out.Status != protocol.InvocationSucceeded {
		t.Fatalf("Handle = %+v, %v", out, err)
	}
}

// signalService acknowledges checkpoints and reports every update.
type signalService struct {
	calls    atomic.Int32
	onUpdate func(protocol.OperationUpdate)
}

func (s *signalService) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	for _, u := range req.Updates {
		s.onUpdate(u)
	}
	return &protocol.CheckpointResponse{CheckpointToken: fmt.Sprintf("t%d", s.calls.Add(1))}, nil
}

func (*signalService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

// In a handler with a durability window, a step whose body must not run
// again once it returned waits for its outcome to be checkpointed; the
// others queue theirs.
func ExampleWithStepSync() {
	order := func(ctx *durable.Context, _ any) (string, error) {
		id, err := durable.Step(ctx, "reserve", func(*durable.StepContext) (string, error) { return "r-1", nil })
		if err != nil {
			return "", err
		}
		// Say it sends an e-mail: WithStepSync keeps a crash after Step
		// returned from sending it again.
		if _, err := durable.Step(ctx, "notify", func(*durable.StepContext) (bool, error) { return true, nil },
			durable.WithStepSync()); err != nil {
			return "", err
		}
		return durable.Step(ctx, "confirm", func(*durable.StepContext) (string, error) { return id + " confirmed", nil })
	}
	h := durable.Handler(order, durable.WithCheckpointWindow(time.Second))
	exec, err := durabletest.NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		fmt.Println("run:", err)
		return
	}
	fmt.Println(exec.Status(), *exec.Result())
	// Output: SUCCEEDED "r-1 confirmed"
}

// The case the protocol's synchronous outcomes exist for: a step returns a
// generated idempotency key and the next step uses it for a side effect,
// then the invocation crashes. Without a window the key step never runs
// again once it returned, so the side effect is repeated with the same key,
// which an idempotent service absorbs. With a window the key step's
// outcome can be lost with the crash: it runs again and the side effect
// happens a second time with a new key (the documented hazard that
// WithStepSync closes).
func TestAStepThatReturnedNeverRunsAgainWithoutAWindow(t *testing.T) {
	tests := []struct {
		name string
		opts []durable.Option
		want []string
	}{
		{"NoWindow", nil, []string{"key-1", "key-1"}},
		{"Window", []durable.Option{window}, []string{"key-1", "key-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var keys atomic.Int32
			var crashed atomic.Bool
			var charged []string
			h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				key, err := durable.Step(ctx, "key", func(*durable.StepContext) (string, error) {
					return fmt.Sprintf("key-%d", keys.Add(1)), nil
				})
				if err != nil {
					return "", err
				}
				return durable.Step(ctx, "charge", func(sc *durable.StepContext) (string, error) {
					charged = append(charged, key) // the payment provider's ledger
					if !crashed.Swap(true) {
						durabletest.Crash(sc.Context())
					}
					return "charged with " + key, nil
				})
			}, tt.opts...)
			exec := run(t, h, nil)
			if exec.Status() != durabletest.ExecutionSucceeded {
				t.Fatalf("execution %s: %+v", exec.Status(), exec.Error())
			}
			if !slices.Equal(charged, tt.want) {
				t.Errorf("charges %q, want %q", charged, tt.want)
			}
		})
	}
}
