package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// resumeCounts counts the step bodies the resume tests run, by name.
type resumeCounts struct {
	mu sync.Mutex
	n  map[string]int
	in map[string]string // the request id of the invocation a step last ran in
}

func (c *resumeCounts) add(name string) { c.addIn(name, nil) }

// addIn counts a run of name in the invocation of sc.
func (c *resumeCounts) addIn(name string, sc *durable.StepContext) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n, c.in = map[string]int{}, map[string]string{}
	}
	c.n[name]++
	if sc != nil {
		if lc, ok := lambdacontext.FromContext(sc.Context()); ok {
			c.in[name] = lc.AwsRequestID
		}
	}
}

// requestID returns the request id of the invocation name last ran in.
func (c *resumeCounts) requestID(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.in[name]
}

func (c *resumeCounts) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

// waitThenStep is a branch that logs, waits d, then runs the step named
// after, which counts its runs.
func waitThenStep(runs *resumeCounts, name string, d time.Duration) func(*durable.Context) (string, error) {
	return func(c *durable.Context) (string, error) {
		c.Logger().Info(name + " before its wait")
		if err := durable.Wait(c, name+"-wait", d); err != nil {
			return "", err
		}
		return durable.Step(c, name+"-after", func(sc *durable.StepContext) (string, error) {
			runs.addIn(name+"-after", sc)
			return name + " done", nil
		})
	}
}

// longStep is a branch whose one step works for d of virtual time, once
// the operations named after have started (a wait's timer counts from its
// START: the work must not race past it).
func longStep(runs *resumeCounts, name string, d time.Duration, after ...string) func(*durable.Context) (string, error) {
	return func(c *durable.Context) (string, error) {
		return durable.Step(c, name, func(sc *durable.StepContext) (string, error) {
			runs.add(name)
			if err := awaitOperations(sc.Context(), after...); err != nil {
				return "", err
			}
			if !durabletest.Sleep(sc.Context(), d) {
				return "", errors.New("durabletest.Sleep found no running invocation")
			}
			return name + " done", nil
		})
	}
}

// runnerKey carries the runner to the handlers of the resume tests.
type runnerKey struct{}

// awaitOperations waits until the execution of the runner in ctx
// (withRunner) has operations with the given names.
func awaitOperations(ctx context.Context, names ...string) error {
	if len(names) == 0 {
		return nil
	}
	r, _ := ctx.Value(runnerKey{}).(*durabletest.Runner)
	if r == nil {
		return errors.New("no runner in the context: use withRunner")
	}
	for range 100_000 {
		ex := r.Executions()
		missing := len(ex) == 0
		for _, name := range names {
			if !missing {
				_, ok := ex[0].FindOperation(name)
				missing = !ok
			}
		}
		if !missing {
			return nil
		}
		time.Sleep(100 * time.Microsecond)
	}
	return fmt.Errorf("operations %q never started", names)
}

// withRunner returns a runner of h whose handler's context carries it.
func withRunner(h durabletest.Handler, opts ...durabletest.Option) *durabletest.Runner {
	var r *durabletest.Runner
	r = durabletest.NewRunner(handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return h.Invoke(context.WithValue(ctx, runnerKey{}, r), payload)
	}), opts...)
	return r
}

// runWithRunner runs h to completion with withRunner.
func runWithRunner(t *testing.T, h durabletest.Handler, opts ...durabletest.Option) *durabletest.Execution {
	t.Helper()
	exec, err := withRunner(h, opts...).Run(context.Background(), nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return exec
}

// waitingAndWorking is the example of protocol §8.7: branch a waits 2 s
// then runs a step, while branch b's step works for 10 s.
func waitingAndWorking(runs *resumeCounts) []durable.Branch[string] {
	return []durable.Branch[string]{
		{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait")},
	}
}

// parallelResults is a handler returning the branch results of Parallel,
// or its first branch error.
func parallelResults(branches []durable.Branch[string], opts ...durable.BatchOption) func(*durable.Context, any) ([]string, error) {
	return func(ctx *durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "parallel", branches, opts...)
		if err != nil {
			return nil, err
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
}

// A branch whose wait ends while another branch still works resumes in the
// same invocation (protocol §8.7): the execution completes in one
// invocation, the step after the wait runs once, and the line the branch
// logged before its wait prints once although the branch ran twice.
func TestParallelBranchResumesInProcessWhenItsWaitEnds(t *testing.T) {
	t.Run("nested", func(t *testing.T) { testBranchResumesInProcess(t) })
	t.Run("flat", func(t *testing.T) { testBranchResumesInProcess(t, durable.WithFlatNesting()) })
}

func testBranchResumesInProcess(t *testing.T, opts ...durable.BatchOption) {
	runs := &resumeCounts{}
	h := durable.Handler(parallelResults(waitingAndWorking(runs), opts...))
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	if n := len(exec.Invocations()); n != 1 {
		t.Errorf("%d invocations, want 1: branch a should resume while b still works", n)
	}
	if n := runs.get("a-after"); n != 1 {
		t.Errorf("a's step after the wait ran %d times, want 1", n)
	}
	if n := runs.get("b"); n != 1 {
		t.Errorf("b's step ran %d times, want 1", n)
	}
	if n := countEmitted(exec, "a before its wait"); n != 1 {
		t.Errorf("a's line before its wait printed %d times, want 1", n)
	}
	// The wait ended at its time, before a's step started.
	var waitEnd, stepStart time.Time
	for _, ev := range exec.History() {
		switch {
		case ev.EventType == durabletest.EventWaitSucceeded:
			waitEnd = ev.EventTimestamp
		case ev.EventType == durabletest.EventStepStarted && ev.Name == "a-after":
			stepStart = ev.EventTimestamp
		}
	}
	if want := durabletest.DefaultStartTime.Add(2 * time.Second); !waitEnd.Equal(want) {
		t.Errorf("the wait succeeded at %v, want %v", waitEnd, want)
	}
	if stepStart.Before(waitEnd) {
		t.Errorf("a's step started at %v, before its wait ended at %v", stepStart, waitEnd)
	}
}

// A map item suspended on a wait keeps its slot: with WithMaxConcurrency(2)
// the third item starts only once one of the first two finished, not while
// one runs and the other is suspended; the waiting item resumes in the
// same invocation.
func TestMapItemResumesInProcessAndKeepsItsSlot(t *testing.T) {
	runs := &resumeCounts{}
	var done [2]atomic.Bool // items 0 and 1 finished
	var thirdWaited atomic.Bool
	h := durable.Handler(func(ctx *durable.Context, _ any) ([]string, error) {
		res, err := durable.Map(ctx, "map", []int{0, 1, 2}, func(c *durable.Context, item, _ int, _ []int) (string, error) {
			switch item {
			case 0, 1:
				var v string
				var err error
				if item == 0 {
					v, err = waitThenStep(runs, "item0", 2*time.Second)(c) // its first run ends in the wait
				} else {
					v, err = longStep(runs, "item1", 10*time.Second, "item0-wait")(c)
				}
				done[item].Store(true)
				return v, err
			}
			return durable.Step(c, "item2", func(*durable.StepContext) (string, error) {
				runs.add("item2")
				thirdWaited.Store(done[0].Load() || done[1].Load())
				return "item2 done", nil
			})
		}, durable.WithMaxConcurrency(2))
		if err != nil {
			return nil, err
		}
		return res.Results(), res.Err()
	})
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["item0 done","item1 done","item2 done"]`)
	if n := len(exec.Invocations()); n != 1 {
		t.Errorf("%d invocations, want 1: item 0 should resume while item 1 still works", n)
	}
	for _, name := range []string{"item0-after", "item1", "item2"} {
		if n := runs.get(name); n != 1 {
			t.Errorf("step %s ran %d times, want 1", name, n)
		}
	}
	if !thirdWaited.Load() {
		t.Error("item 2 started before item 0 or 1 finished: the suspended item must keep its slot")
	}
	if n := countEmitted(exec, "item0 before its wait"); n != 1 {
		t.Errorf("item 0's line before its wait printed %d times, want 1", n)
	}
}

// A branch whose wait is not due when the others finish stays suspended:
// the refresh resumes only the branch that is due, and the batch suspends
// once the others are done; the next invocation finishes it.
func TestBranchNotDueStaysSuspendedAndTheBatchSuspends(t *testing.T) {
	runs := &resumeCounts{}
	h := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait", "c-wait")},
		{Name: "c", Func: waitThenStep(runs, "c", time.Minute)},
	}))
	exec, err := withRunner(h).Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	invs := exec.Invocations()
	if len(invs) == 0 || invs[0].Status != protocol.InvocationPending {
		t.Fatalf("invocations %+v: want the first to suspend, waiting for c", invs)
	}
	if a, c := runs.get("a-after"), runs.get("c-after"); a != 1 || c != 0 {
		t.Fatalf("a's step ran %d times and c's %d before c's wait ended, want 1 and 0", a, c)
	}
	if got, want := runs.requestID("a-after"), invs[0].RequestID; got != want {
		t.Fatalf("a's step ran in request %s, want the first invocation's %s", got, want)
	}
	if err := exec.RunToCompletion(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantResult(t, exec, `["a done","b done","c done"]`)
	for _, name := range []string{"a-after", "b", "c-after"} {
		if n := runs.get(name); n != 1 {
			t.Errorf("step %s ran %d times, want 1", name, n)
		}
	}
	for _, msg := range []string{"a before its wait", "c before its wait"} {
		if n := countEmitted(exec, msg); n != 1 {
			t.Errorf("%q printed %d times, want 1", msg, n)
		}
	}
}

// A branch waiting for a step's retry resumes in process once the retry is
// due: the next attempt runs in the same invocation.
func TestBranchRetryResumesInProcess(t *testing.T) {
	runs := &resumeCounts{}
	retry := durable.WithRetryStrategy(func(_ error, attempt int) durable.RetryDecision {
		return durable.RetryDecision{ShouldRetry: attempt < 2, Delay: time.Second}
	})
	h := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: func(c *durable.Context) (string, error) {
			return durable.Step(c, "flaky", func(sc *durable.StepContext) (string, error) {
				runs.add("flaky")
				if sc.Attempt() == 1 {
					return "", errors.New("first attempt fails")
				}
				return "a done", nil
			}, retry)
		}},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "flaky")},
	}))
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	if n := len(exec.Invocations()); n != 1 {
		t.Errorf("%d invocations, want 1: the retry should run while b still works", n)
	}
	if n := runs.get("flaky"); n != 2 {
		t.Errorf("the flaky step ran %d times, want 2 attempts", n)
	}
}

// Near its deadline an invocation does not refresh the state to resume a
// branch (the call could be cut short): the branch waits for the next
// invocation, as before.
func TestNoResumeNearTheInvocationDeadline(t *testing.T) {
	runs := &resumeCounts{}
	h := durable.Handler(parallelResults(waitingAndWorking(runs)))
	// The deadline is real time; the run takes none to speak of, but the
	// deadline is closer than a refresh needs.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	exec, err := withRunner(h).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantResult(t, exec, `["a done","b done"]`)
	if n := len(exec.Invocations()); n != 2 {
		t.Errorf("%d invocations, want 2: no refresh so close to the deadline", n)
	}
	if n := runs.get("a-after"); n != 1 {
		t.Errorf("a's step ran %d times, want 1", n)
	}
}

// A branch resumed in process reports its function's start and end once
// per run (the first run's end Suspended), and its operation's start once:
// no start is left without its end.
func TestResumedBranchReportsBalancedHooks(t *testing.T) {
	log := &resumeHookLog{}
	runs := &resumeCounts{}
	h := durable.Handler(parallelResults(waitingAndWorking(runs)), durable.WithPlugins(log))
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	wantHooksOfOneResume(t, log, "a", "SUCCEEDED")
	if got := log.of("a-wait"); !slices.Equal(got, []string{"operation start a-wait", "operation end a-wait SUCCEEDED"}) {
		t.Errorf("hooks of a's wait: %q", got)
	}
}

// resumeHookLog records operation and function hooks by name.
type resumeHookLog struct {
	plugin.Base
	mu     sync.Mutex
	events []string
}

func (l *resumeHookLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, s)
}

func (l *resumeHookLog) of(name string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.events {
		if f := strings.Fields(e); f[2] == name {
			out = append(out, e)
		}
	}
	return out
}

func (l *resumeHookLog) OnOperationStart(_ context.Context, o *plugin.OperationInfo) {
	l.add("operation start " + o.Name)
}

func (l *resumeHookLog) OnOperationEnd(_ context.Context, o *plugin.OperationInfo) {
	l.add(fmt.Sprintf("operation end %s %s", o.Name, o.Status))
}

func (l *resumeHookLog) OnFunctionStart(_ context.Context, f *plugin.FunctionInfo) {
	l.add("function start " + f.Name)
}

func (l *resumeHookLog) OnFunctionEnd(_ context.Context, f *plugin.FunctionInfo) {
	l.add(fmt.Sprintf("function end %s ok=%v suspended=%v", f.Name, f.Succeeded, f.Suspended))
}

// Crashing the invocation at each update of the resume scenario, before,
// during and after the branch resumes, ends as the crash-free run does:
// same result, same completed operations, no operation succeeded twice.
// The line the branch logs before its wait prints once, or twice when the
// crash lost the wait's START (the crashed invocation printed it first).
func TestResumeSurvivesCrashAtEveryUpdate(t *testing.T) {
	runCrash := func(crashAt int) (exec *durabletest.Execution, updates int, waitRecorded bool) {
		runs := &resumeCounts{}
		h := durable.Handler(parallelResults(waitingAndWorking(runs)))
		r := withRunner(h, durabletest.WithCrash(func(_ int, u protocol.OperationUpdate) bool {
			updates++
			if updates == crashAt {
				return true
			}
			if updates < crashAt && u.Name == "a-wait" && u.Action == protocol.ActionStart {
				waitRecorded = true
			}
			return false
		}))
		exec, err := r.Run(context.Background(), nil)
		if err != nil {
			t.Fatalf("crash at %d: %v", crashAt, err)
		}
		return exec, updates, waitRecorded
	}
	base, updates, _ := runCrash(0)
	wantResult(t, base, `["a done","b done"]`)
	if n := len(base.Invocations()); n != 1 {
		t.Fatalf("crash-free run: %d invocations, want 1", n)
	}
	want := completed(base)
	for k := 1; k <= updates; k++ {
		exec, _, waitRecorded := runCrash(k)
		wantResult(t, exec, `["a done","b done"]`)
		if got := completed(exec); len(got) != len(want) {
			t.Errorf("crash at update %d: %d completed operations, crash-free %d", k, len(got), len(want))
		} else {
			for id, w := range want {
				if got[id] != w {
					t.Errorf("crash at update %d: operation %s is %q, crash-free %q", k, id, got[id], w)
				}
			}
		}
		if twice := succeededTwice(exec); len(twice) > 0 {
			t.Errorf("crash at update %d: operations succeeded twice: %v", k, twice)
		}
		n := countEmitted(exec, "a before its wait")
		if n != 1 && (waitRecorded || n != 2) {
			t.Errorf("crash at update %d (wait recorded before: %v): a's line before its wait printed %d times", k, waitRecorded, n)
		}
	}
}

// A branch suspended because every branch of a Parallel inside it waits
// resumes once one of those waits ends: the inner Parallel replays and
// its branches go on, in the same invocation.
func TestNestedBatchResumesInProcess(t *testing.T) {
	t.Run("nested", func(t *testing.T) { testNestedBatchResumesInProcess(t) })
	t.Run("flat", func(t *testing.T) { testNestedBatchResumesInProcess(t, durable.WithFlatNesting()) })
}

func testNestedBatchResumesInProcess(t *testing.T, opts ...durable.BatchOption) {
	runs := &resumeCounts{}
	inner := func(c *durable.Context) (string, error) {
		res, err := durable.Parallel(c, "inner", []durable.Branch[string]{
			{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
			{Name: "c", Func: waitThenStep(runs, "c", 5*time.Second)},
		}, opts...)
		if err != nil {
			return "", err
		}
		return strings.Join(res.Results(), "+"), res.Err()
	}
	h := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "x", Func: inner},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait", "c-wait")},
	}, opts...))
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `["a done+c done","b done"]`, "a before its wait", "c before its wait")
	wantRunsOnce(t, runs, "a-after", "c-after", "b")
}

// laggingService hides from its answers the waits that ended, as a
// service whose timers lag behind their time would, and counts the
// checkpoints without updates.
type laggingService struct {
	protocol.Service
	refreshes *atomic.Int32
}

func (s laggingService) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	resp, err := s.Service.Checkpoint(ctx, req)
	if err != nil {
		return resp, err
	}
	if len(req.Updates) == 0 {
		s.refreshes.Add(1)
	}
	lagged := *resp
	lagged.NewExecutionState.Operations = slices.DeleteFunc(slices.Clone(resp.NewExecutionState.Operations), func(op protocol.Operation) bool {
		return op.Type == protocol.OperationTypeWait && op.Status == protocol.StatusSucceeded
	})
	return &lagged, nil
}

// A branch due by the clock whose wait the refresh does not show ended
// stays suspended, without refreshing again at once: the batch suspends
// when the other branch finishes, and the next invocation goes on.
func TestBranchStillWaitingAfterTheRefreshStaysSuspended(t *testing.T) {
	runs := &resumeCounts{}
	var refreshes atomic.Int32
	fn := durable.Handler(parallelResults(waitingAndWorking(runs)))
	h := handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		svc := laggingService{Service: testhook.Service(ctx), refreshes: &refreshes}
		return fn.Invoke(testhook.WithService(ctx, svc), payload)
	})
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	invs := exec.Invocations()
	if len(invs) != 2 || invs[0].Status != protocol.InvocationPending {
		t.Errorf("invocations %+v: want the first to suspend, a's wait not shown ended", invs)
	}
	if n := refreshes.Load(); n > 1 {
		t.Errorf("%d checkpoints without updates, want at most 1: a refresh that resumes nothing waits before the next", n)
	}
	if n := runs.get("a-after"); n != 1 {
		t.Errorf("a's step ran %d times, want 1", n)
	}
}
