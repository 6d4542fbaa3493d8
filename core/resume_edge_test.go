package durable_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/protocol"
)

// Edge cases of the in-process resume of map items and parallel branches
// (protocol §8.7, resume.go).

// wantInOneInvocation checks that exec succeeded with result in one
// invocation (its branches resumed in process) and that each of lines
// printed once.
func wantInOneInvocation(t *testing.T, exec *durabletest.Execution, result string, lines ...string) {
	t.Helper()
	wantResult(t, exec, result)
	if n := len(exec.Invocations()); n != 1 {
		t.Errorf("%d invocations, want 1: the branches should resume in process", n)
	}
	for _, msg := range lines {
		if n := countEmitted(exec, msg); n != 1 {
			t.Errorf("%q printed %d times, want 1", msg, n)
		}
	}
}

// wrapService returns a handler running fn with the runner's service
// wrapped by wrap.
func wrapService(fn *durable.Function, wrap func(protocol.Service) protocol.Service) durabletest.Handler {
	return handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return fn.Invoke(testhook.WithService(ctx, wrap(testhook.Service(ctx))), payload)
	})
}

// wantRunsOnce checks that each of the steps named ran once.
func wantRunsOnce(t *testing.T, runs *resumeCounts, names ...string) {
	t.Helper()
	for _, name := range names {
		if n := runs.get(name); n != 1 {
			t.Errorf("step %s ran %d times, want 1", name, n)
		}
	}
}

// A branch that waits twice resumes after each wait while another branch
// still works: one invocation, each line before a wait printed once.
func TestBranchResumesAfterEachOfTwoWaits(t *testing.T) {
	runs := &resumeCounts{}
	twice := func(c *durable.Context) (string, error) {
		c.Logger().Info("a before its first wait")
		if err := durable.Wait(c, "a-wait1", 2*time.Second); err != nil {
			return "", err
		}
		c.Logger().Info("a before its second wait")
		if err := durable.Wait(c, "a-wait2", 3*time.Second); err != nil {
			return "", err
		}
		return durable.Step(c, "a-after", func(*durable.StepContext) (string, error) {
			runs.add("a-after")
			return "a done", nil
		})
	}
	worker := func(c *durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
			runs.add("b")
			for _, name := range []string{"a-wait1", "a-wait2"} {
				if err := awaitOperations(sc.Context(), name); err != nil {
					return "", err
				}
				durabletest.Sleep(sc.Context(), 5*time.Second)
			}
			return "b done", nil
		})
	}
	exec := runWithRunner(t, durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: twice}, {Name: "b", Func: worker},
	})))
	wantInOneInvocation(t, exec, `["a done","b done"]`, "a before its first wait", "a before its second wait")
	if n := runs.get("a-after"); n != 1 {
		t.Errorf("a's step ran %d times, want 1", n)
	}
}

// Two branches due at the same time both resume after one refresh.
func TestTwoBranchesDueTogetherResume(t *testing.T) {
	runs := &resumeCounts{}
	var refreshes atomic.Int32
	fn := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
		{Name: "c", Func: waitThenStep(runs, "c", 2*time.Second)},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait", "c-wait")},
	}))
	h := wrapService(fn, func(svc protocol.Service) protocol.Service {
		return countingService{Service: svc, refreshes: &refreshes}
	})
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `["a done","c done","b done"]`)
	if n := refreshes.Load(); n > 1 {
		t.Errorf("%d checkpoints without updates, want at most 1", n)
	}
}

// countingService counts the checkpoints without updates.
type countingService struct {
	protocol.Service
	refreshes *atomic.Int32
}

func (s countingService) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	if len(req.Updates) == 0 {
		s.refreshes.Add(1)
	}
	return s.Service.Checkpoint(ctx, req)
}

// A branch whose condition check asks to check again later resumes in
// process for its next check.
func TestWaitForConditionBranchResumesInProcess(t *testing.T) {
	runs := &resumeCounts{}
	cond := func(c *durable.Context) (string, error) {
		n, err := durable.WaitForCondition(c, "poll", 0, func(_ *durable.StepContext, n int) (int, error) {
			runs.add("poll")
			return n + 1, nil
		}, func(n, _ int) (durable.WaitDecision, error) {
			return durable.WaitDecision{Continue: n < 2, Delay: 2 * time.Second}, nil
		})
		if err != nil {
			return "", err
		}
		if n != 2 {
			return "", errors.New("wrong state")
		}
		return "a done", nil
	}
	exec := runWithRunner(t, durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: cond},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "poll")},
	})))
	wantInOneInvocation(t, exec, `["a done","b done"]`)
	if n := runs.get("poll"); n != 2 {
		t.Errorf("the check ran %d times, want 2", n)
	}
}

// A branch waiting inside a child context resumes in process.
func TestBranchWaitingInChildContextResumes(t *testing.T) {
	runs := &resumeCounts{}
	child := func(c *durable.Context) (string, error) {
		return durable.RunInChildContext(c, "child", waitThenStep(runs, "a", 2*time.Second))
	}
	exec := runWithRunner(t, durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "x", Func: child},
		{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait")},
	})))
	wantInOneInvocation(t, exec, `["a done","b done"]`, "a before its wait")
}

// A branch that panics after it resumed fails like any branch that
// panics; the batch completes and the invocation is not lost.
func TestBranchPanickingAfterItResumedFails(t *testing.T) {
	runs := &resumeCounts{}
	panicky := func(c *durable.Context) (string, error) {
		if err := durable.Wait(c, "a-wait", 2*time.Second); err != nil {
			return "", err
		}
		panic("boom after the wait")
	}
	log := &resumeHookLog{}
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "parallel", []durable.Branch[string]{
			{Name: "a", Func: panicky},
			{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait")},
		}, durable.WithToleratedFailures(1))
		if err != nil {
			return "", err
		}
		var got []string
		for _, it := range res.All {
			got = append(got, string(it.Status))
		}
		return got[0] + "," + got[1], nil
	}, durable.WithPlugins(log))
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `"FAILED,SUCCEEDED"`)
	wantHooksOfOneResume(t, log, "a", "FAILED")
}

// failingRefreshes answers every checkpoint without updates with a
// retryable service error.
type failingRefreshes struct {
	protocol.Service
	failed *atomic.Int32
}

func (s failingRefreshes) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	if len(req.Updates) == 0 && s.failed.Add(1) == 1 {
		return nil, &protocol.APIError{Operation: "CheckpointDurableExecution", Code: "ServiceException", StatusCode: 500, Message: "refresh failed"}
	}
	return s.Service.Checkpoint(ctx, req)
}

// A refresh the service fails ends the invocation with a retryable error
// (no hang, no panic): the next invocation goes on and the execution
// completes.
func TestFailedRefreshEndsTheInvocationRetryably(t *testing.T) {
	runs := &resumeCounts{}
	var failed atomic.Int32
	// b works on until the refresh was made, so that nothing else is
	// queued when a's wait comes due: the refresh is a call of its own.
	worker := func(c *durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
			runs.add("b")
			if err := awaitOperations(sc.Context(), "a-wait"); err != nil {
				return "", err
			}
			durabletest.Sleep(sc.Context(), 10*time.Second)
			for i := 0; failed.Load() == 0 && i < 100_000; i++ {
				time.Sleep(100 * time.Microsecond)
			}
			return "b done", nil
		})
	}
	fn := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
		{Name: "b", Func: worker},
	}))
	h := wrapService(fn, func(svc protocol.Service) protocol.Service { return failingRefreshes{Service: svc, failed: &failed} })
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	if failed.Load() == 0 {
		t.Fatal("no refresh was made")
	}
	invs := exec.Invocations()
	if len(invs) < 2 || invs[0].Err == nil {
		t.Fatalf("invocations %+v: want the first to fail with the refresh's error", invs)
	}
	wantRunsOnce(t, runs, "a-after")
}

// A branch resumed in process that is still running when the batch
// completes (WithMinSuccessful) is orphaned like any late branch: its
// step's outcome is never checkpointed, the batch lists it STARTED, and
// its hooks balance.
func TestBranchResumedThenOrphanedDoesNotCheckpoint(t *testing.T) {
	log := &resumeHookLog{}
	runs := &resumeCounts{}
	resumed, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	late := func(c *durable.Context) (string, error) {
		if err := durable.Wait(c, "a-wait", 2*time.Second); err != nil {
			return "", err
		}
		return durable.Step(c, "a-after", func(*durable.StepContext) (string, error) {
			runs.add("a-after")
			once.Do(func() { close(resumed) })
			<-release
			return "a done", nil
		})
	}
	worker := func(c *durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
			if err := awaitOperations(sc.Context(), "a-wait"); err != nil {
				return "", err
			}
			durabletest.Sleep(sc.Context(), 10*time.Second)
			<-resumed // a runs again before b ends
			return "b done", nil
		})
	}
	h := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "parallel", []durable.Branch[string]{{Name: "a", Func: late}, {Name: "b", Func: worker}},
			durable.WithMinSuccessful(1))
		if err != nil {
			return "", err
		}
		return string(res.All[0].Status) + "," + string(res.All[1].Status), nil
	}, durable.WithPlugins(log))
	exec := runWithRunner(t, h)
	close(release)
	wantInOneInvocation(t, exec, `"STARTED,SUCCEEDED"`)
	want := []string{
		"operation start a",
		"function start a", "function end a ok=false suspended=true",
		"function start a", "function end a ok=false suspended=true",
	}
	var got []string
	for range 100_000 { // the orphaned branch reports its end after the invocation returned
		if got = log.of("a"); len(got) >= len(want)+1 {
			break
		}
		time.Sleep(100 * time.Microsecond)
	}
	if !slices.Contains(got, "operation end a STARTED") {
		t.Errorf("hooks of a %q: no abandoned operation end", got)
	}
	starts, ends := 0, 0
	for _, e := range got {
		switch {
		case strings.HasPrefix(e, "function start"):
			starts++
		case strings.HasPrefix(e, "function end"):
			ends++
		}
	}
	if starts != 2 || ends != 2 {
		t.Errorf("hooks of a %q: %d function starts and %d ends, want 2 and 2", got, starts, ends)
	}
	if op, ok := exec.FindOperation("a-after"); ok && op.Status.Terminal() {
		t.Errorf("the orphaned branch's step was checkpointed %s", op.Status)
	}
}

// A line a resumed branch logs through its parent's logger (captured
// before the Parallel) before its wait prints once too: the branch
// replays when it resumes.
func TestResumedBranchLineThroughParentLoggerPrintsOnce(t *testing.T) {
	runs := &resumeCounts{}
	h := durable.Handler(func(ctx *durable.Context, _ any) ([]string, error) {
		log := ctx.Logger()
		res, err := durable.Parallel(ctx, "parallel", []durable.Branch[string]{
			{Name: "a", Func: func(c *durable.Context) (string, error) {
				log.Info("a before its wait (parent logger)")
				return waitThenStep(runs, "a", 2*time.Second)(c)
			}},
			{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait")},
		})
		if err != nil {
			return nil, err
		}
		return res.Results(), res.Err()
	})
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `["a done","b done"]`, "a before its wait (parent logger)")
}

// A batch whose result is too large to checkpoint is rebuilt on replay by
// re-running its items: a branch that had resumed in process rebuilds its
// result from its records, and no step runs again.
func TestLargeBatchWithAResumedBranchRebuildsOnReplay(t *testing.T) {
	runs := &resumeCounts{}
	big := strings.Repeat("x", 100<<10)
	bigStep := func(c *durable.Context, name string) (string, error) {
		return durable.Step(c, name, func(*durable.StepContext) (string, error) {
			runs.add(name)
			return big, nil
		})
	}
	h := durable.Handler(func(ctx *durable.Context, _ any) ([]int, error) {
		res, err := durable.Parallel(ctx, "parallel", []durable.Branch[string]{
			{Name: "a", Func: func(c *durable.Context) (string, error) {
				c.Logger().Info("a before its wait")
				if err := durable.Wait(c, "a-wait", 2*time.Second); err != nil {
					return "", err
				}
				return bigStep(c, "a-after")
			}},
			{Name: "b", Func: func(c *durable.Context) (string, error) {
				if _, err := longStep(runs, "b", 10*time.Second, "a-wait")(c); err != nil {
					return "", err
				}
				return bigStep(c, "b-after")
			}},
			{Name: "c", Func: func(c *durable.Context) (string, error) { return bigStep(c, "c-step") }},
		})
		if err != nil {
			return nil, err
		}
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return nil, err
		}
		var lens []int
		for _, r := range res.Results() {
			lens = append(lens, len(r))
		}
		return lens, res.Err()
	})
	exec := runWithRunner(t, h)
	n := len(big)
	wantResult(t, exec, fmt.Sprintf("[%d,%d,%d]", n, n, n))
	// The batch completed in the first invocation; a later one rebuilt it.
	invs := exec.Invocations()
	if op, ok := exec.FindOperation("parallel"); !ok || len(invs) < 2 || op.EndTimestamp == nil || op.EndTimestamp.Time.After(invs[0].End) {
		t.Errorf("the batch did not complete in the first of %d invocations", len(invs))
	}
	wantRunsOnce(t, runs, "a-after", "b", "b-after", "c-step")
	if n := countEmitted(exec, "a before its wait"); n != 1 {
		t.Errorf("a's line printed %d times, want 1", n)
	}
}

// Many map items with waits of different lengths, under a concurrency
// bound and a service latency, while one item works in small slices of
// time: every item resumes in the invocation, each step runs once, each
// line prints once, and no more items run at once than the bound allows.
func TestManyItemsResumeUnderConcurrencyBound(t *testing.T) {
	const items, bound = 12, 4
	runs := &resumeCounts{}
	var inside, most, done atomic.Int32
	var open struct {
		mu       sync.Mutex
		set      map[int]bool
		finished map[int]bool
		most     int
	}
	open.set, open.finished = map[int]bool{}, map[int]bool{}
	enter := func() func() {
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		return func() { inside.Add(-1) }
	}
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		idx := make([]int, items)
		for i := range idx {
			idx[i] = i
		}
		res, err := durable.Map(ctx, "map", idx, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			name := fmt.Sprintf("item%d", item)
			open.mu.Lock() // started and not finished: running or suspended, holding a slot
			open.set[item] = true
			if len(open.set) > open.most {
				open.most = len(open.set)
			}
			open.mu.Unlock()
			defer func() {
				open.mu.Lock()
				if open.finished[item] {
					delete(open.set, item)
				}
				open.mu.Unlock()
			}()
			if item == 0 {
				return durable.Step(c, "worker", func(sc *durable.StepContext) (int, error) {
					defer enter()()
					runs.add("worker")
					// It works until every other item is done.
					for i := 0; i < 100_000 && int(done.Load()) < items-1; i++ {
						durabletest.Sleep(sc.Context(), 500*time.Millisecond)
						time.Sleep(100 * time.Microsecond)
					}
					open.mu.Lock()
					open.finished[0] = true
					open.mu.Unlock()
					return 0, nil
				})
			}
			c.Logger().Info(name + " before its wait")
			if err := durable.Wait(c, name+"-wait", time.Duration(1+item%3)*time.Second); err != nil {
				return 0, err
			}
			c.Logger().Info(name + " before its second wait")
			if err := durable.Wait(c, name+"-wait2", time.Second); err != nil {
				return 0, err
			}
			return durable.Step(c, name+"-after", func(*durable.StepContext) (int, error) {
				defer enter()()
				runs.add(name + "-after")
				done.Add(1)
				open.mu.Lock()
				open.finished[item] = true
				open.mu.Unlock()
				return item, nil
			})
		}, durable.WithMaxConcurrency(bound))
		if err != nil {
			return 0, err
		}
		sum := 0
		for _, v := range res.Results() {
			sum += v
		}
		return sum, res.Err()
	})
	exec := runWithRunner(t, h, durabletest.WithServiceLatency(50*time.Millisecond))
	wantResult(t, exec, fmt.Sprint(items*(items-1)/2))
	for i := 1; i < items; i++ {
		name := fmt.Sprintf("item%d", i)
		if n := runs.get(name + "-after"); n != 1 {
			t.Errorf("step %s-after ran %d times, want 1", name, n)
		}
		for _, msg := range []string{name + " before its wait", name + " before its second wait"} {
			if n := countEmitted(exec, msg); n != 1 {
				t.Errorf("%q printed %d times, want 1", msg, n)
			}
		}
	}
	if open.most > bound {
		t.Errorf("%d items held a slot at once, over the bound of %d", open.most, bound)
	}
	if m := most.Load(); m > bound {
		t.Errorf("%d step bodies ran at once, over the bound of %d items", m, bound)
	}
	if n := len(exec.Invocations()); n != 1 {
		t.Errorf("%d invocations, want 1", n)
	}
}

// callbackBranch is a branch that logs line, creates the callback "cb",
// hands its id to ids and returns "cb " and the callback's result.
func callbackBranch(line string, ids chan<- string) func(*durable.Context) (string, error) {
	return func(c *durable.Context) (string, error) {
		c.Logger().Info(line)
		cb, err := durable.CreateCallback[string](c, "cb")
		if err != nil {
			return "", err
		}
		select {
		case ids <- cb.ID():
		default:
		}
		v, err := cb.Result()
		if err != nil {
			return "", err
		}
		return "cb " + v, nil
	}
}

// A branch waiting for a callback has no time to resume at, but when the
// refresh made for another branch's wait shows its callback completed, it
// resumes too: both go on in the same invocation.
func TestCallbackBranchResumesWithTheRefreshOfATimedOne(t *testing.T) {
	runs := &resumeCounts{}
	ids := make(chan string, 1)
	var r *durabletest.Runner
	cbBranch := callbackBranch("cb before its result", ids)
	worker := func(c *durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
			runs.add("b")
			if err := awaitOperations(sc.Context(), "c-wait"); err != nil {
				return "", err
			}
			if err := r.Executions()[0].SendCallbackSuccess(sc.Context(), <-ids, []byte("ok")); err != nil {
				return "", err
			}
			durabletest.Sleep(sc.Context(), 10*time.Second)
			return "b done", nil
		})
	}
	h := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: cbBranch},
		{Name: "c", Func: waitThenStep(runs, "c", 2*time.Second)},
		{Name: "b", Func: worker},
	}))
	r = withRunner(h)
	exec, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantInOneInvocation(t, exec, `["cb ok","c done","b done"]`, "cb before its result")
}

// With a durability window, outcomes wait in the queue: the refresh sends
// them, so the resumed branch replays its steps from their records (none
// runs twice) and the branch still working keeps its queued outcomes.
func TestResumeWithCheckpointWindow(t *testing.T) {
	runs := &resumeCounts{}
	step := func(c *durable.Context, name string) error {
		_, err := durable.Step(c, name, func(*durable.StepContext) (string, error) {
			runs.add(name)
			return name, nil
		})
		return err
	}
	a := func(c *durable.Context) (string, error) {
		if err := step(c, "a1"); err != nil {
			return "", err
		}
		c.Logger().Info("a before its wait")
		if err := durable.Wait(c, "a-wait", 2*time.Second); err != nil {
			return "", err
		}
		if err := step(c, "a2"); err != nil {
			return "", err
		}
		return "a done", nil
	}
	b := func(c *durable.Context) (string, error) {
		if err := step(c, "b1"); err != nil {
			return "", err
		}
		if _, err := longStep(runs, "b", 10*time.Second, "a-wait")(c); err != nil {
			return "", err
		}
		if err := step(c, "b3"); err != nil {
			return "", err
		}
		return "b done", nil
	}
	h := durable.Handler(parallelResults([]durable.Branch[string]{{Name: "a", Func: a}, {Name: "b", Func: b}}),
		durable.WithCheckpointWindow(time.Hour))
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `["a done","b done"]`)
	wantRunsOnce(t, runs, "a1", "a2", "b1", "b", "b3")
	if n := countEmitted(exec, "a before its wait"); n != 1 {
		t.Errorf("a's line printed %d times, want 1", n)
	}
}

// Crashing at each update of a run where a branch resumes twice (after a
// wait, then for a retry), with and without a durability window, ends as
// the crash-free run does, with no operation succeeding twice.
func TestResumeTwiceSurvivesCrashAtEveryUpdate(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []durable.Option
	}{{"NoWindow", nil}, {"Window", []durable.Option{durable.WithCheckpointWindow(time.Hour)}}} {
		t.Run(tc.name, func(t *testing.T) {
			handler := func() durabletest.Handler {
				runs := &resumeCounts{}
				var retried atomic.Bool // the second attempt ran
				retry := durable.WithRetryStrategy(func(_ error, attempt int) durable.RetryDecision {
					return durable.RetryDecision{ShouldRetry: attempt < 2, Delay: time.Second}
				})
				a := func(c *durable.Context) (string, error) {
					if err := durable.Wait(c, "a-wait", 2*time.Second); err != nil {
						return "", err
					}
					return durable.Step(c, "flaky", func(sc *durable.StepContext) (string, error) {
						if sc.Attempt() == 1 {
							return "", errors.New("first attempt fails")
						}
						retried.Store(true)
						return "a done", nil
					}, retry)
				}
				b := func(c *durable.Context) (string, error) {
					return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
						runs.add("b")
						for i := 0; i < 10_000; i++ {
							if retried.Load() || !durabletest.Sleep(sc.Context(), time.Second) {
								break
							}
							time.Sleep(100 * time.Microsecond)
						}
						return "b done", nil
					})
				}
				return durable.Handler(parallelResults([]durable.Branch[string]{{Name: "a", Func: a}, {Name: "b", Func: b}}), tc.opts...)
			}
			runCrash := func(crashAt int) (*durabletest.Execution, int) {
				updates := 0
				r := withRunner(handler(), durabletest.WithCrash(func(_ int, u protocol.OperationUpdate) bool {
					updates++
					return updates == crashAt
				}))
				exec, err := r.Run(context.Background(), nil)
				if err != nil {
					t.Fatalf("crash at %d: %v", crashAt, err)
				}
				return exec, updates
			}
			base, updates := runCrash(0)
			wantResult(t, base, `["a done","b done"]`)
			if n := len(base.Invocations()); n != 1 {
				t.Fatalf("crash-free run: %d invocations, want 1", n)
			}
			for k := 1; k <= updates; k++ {
				exec, _ := runCrash(k)
				wantResult(t, exec, `["a done","b done"]`)
				if twice := succeededTwice(exec); len(twice) > 0 {
					t.Errorf("crash at update %d: operations succeeded twice: %v", k, twice)
				}
			}
		})
	}
}

// The history of executions whose branches resumed in process replays
// (durabletest.ReplayHistory), for one invocation and for two.
func TestHistoryOfAResumedBranchReplays(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		branches func(*resumeCounts) []durable.Branch[string]
	}{
		{"OneInvocation", waitingAndWorking},
		{"TwoInvocations", func(runs *resumeCounts) []durable.Branch[string] {
			return []durable.Branch[string]{
				{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
				{Name: "b", Func: longStep(runs, "b", 10*time.Second, "a-wait", "c-wait")},
				{Name: "c", Func: waitThenStep(runs, "c", time.Minute)},
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exec := runWithRunner(t, durable.Handler(parallelResults(tc.branches(&resumeCounts{}))))
			history, err := json.Marshal(map[string]any{"Events": exec.History()})
			if err != nil {
				t.Fatal(err)
			}
			runs := &resumeCounts{}
			if err := durabletest.ReplayHistory(ctx, history, durable.Handler(parallelResults(tc.branches(runs)))); err != nil {
				t.Errorf("the history does not replay: %v", err)
			}
			if n := runs.get("a-after") + runs.get("b") + runs.get("c-after"); n != 0 {
				t.Errorf("replaying the history ran %d steps", n)
			}
		})
	}
}

// An execution that times out while a branch works (and another waits)
// ends TIMED_OUT: the invocation does not hang on its refresh or its
// waiting branch.
func TestExecutionTimingOutDuringResumeEnds(t *testing.T) {
	runs := &resumeCounts{}
	h := durable.Handler(parallelResults(waitingAndWorking(runs)))
	exec, err := withRunner(h, durabletest.WithExecutionTimeout(5*time.Second)).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status() != "TIMED_OUT" {
		t.Fatalf("status %s (%+v), want TIMED_OUT", exec.Status(), exec.Error())
	}
	if n := runs.get("a-after"); n != 0 {
		t.Errorf("a's step ran %d times after the execution timed out", n)
	}
}

// A flat (virtual) branch resumed in process reports its function's
// start and end once per run, and no operation of its own.
func TestResumedFlatBranchReportsBalancedHooks(t *testing.T) {
	log := &resumeHookLog{}
	runs := &resumeCounts{}
	h := durable.Handler(parallelResults(waitingAndWorking(runs), durable.WithFlatNesting()), durable.WithPlugins(log))
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	want := []string{
		"function start a", "function end a ok=false suspended=true",
		"function start a", "function end a ok=true suspended=false",
	}
	if got := log.of("a"); !slices.Equal(got, want) {
		t.Errorf("hooks of branch a:\n got %q\nwant %q", got, want)
	}
	if got := log.of("a-wait"); !slices.Equal(got, []string{"operation start a-wait", "operation end a-wait SUCCEEDED"}) {
		t.Errorf("hooks of a's wait: %q", got)
	}
}

// A branch suspended on a callback that the state, merged from another
// branch's checkpoint, already shows completed goes on in the same
// invocation once the other branches are done: the batch does not end
// the invocation while it knows one of its branches can go on.
func TestBranchWhoseCallbackCompletedMeanwhileResumesBeforeTheBatchSuspends(t *testing.T) {
	suspended := &functionEnded{name: "a", done: make(chan struct{})}
	ids := make(chan string, 1)
	cbBranch := callbackBranch("a before its result", ids)
	worker := func(c *durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
			select {
			case <-suspended.done: // a suspended on its callback
			//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
			case <-time.After(30 * time.Second):
				return "", errors.New("a never suspended")
			}
			r, _ := sc.Context().Value(runnerKey{}).(*durabletest.Runner)
			// The step's own checkpoint brings the callback's completion.
			return "b done", r.Executions()[0].SendCallbackSuccess(sc.Context(), <-ids, []byte("ok"))
		})
	}
	h := durable.Handler(parallelResults([]durable.Branch[string]{{Name: "a", Func: cbBranch}, {Name: "b", Func: worker}}),
		durable.WithPlugins(suspended))
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `["cb ok","b done"]`, "a before its result")
}

// countingClock counts the alarms of the runtime not released yet.
type countingClock struct {
	testhook.Clock
	open atomic.Int32
}

func (c *countingClock) At(at time.Time) (<-chan struct{}, func()) {
	ch, release := c.Clock.At(at)
	c.open.Add(1)
	var once sync.Once
	return ch, func() {
		once.Do(func() { c.open.Add(-1) })
		release()
	}
}

// failingOutcome fails the first checkpoint carrying the outcome of the
// operation named name with a retryable service error.
type failingOutcome struct {
	protocol.Service
	name   string
	failed *atomic.Bool
}

func (s failingOutcome) Checkpoint(ctx context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	for _, u := range req.Updates {
		if u.Name == s.name && u.Action == protocol.ActionSucceed && s.failed.CompareAndSwap(false, true) {
			return nil, &protocol.APIError{Operation: "CheckpointDurableExecution", Code: "ServiceException", StatusCode: 500, Message: "checkpoint failed"}
		}
	}
	return s.Service.Checkpoint(ctx, req)
}

// A batch waiting for a branch's timer that ends because another branch's
// checkpoint failed releases the timer it waited on: no alarm is left.
func TestBatchEndingOnAFailedCheckpointReleasesItsAlarm(t *testing.T) {
	runs := &resumeCounts{}
	var failed atomic.Bool
	clocks := make(chan *countingClock, 10)
	fn := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: waitThenStep(runs, "a", time.Minute)},
		{Name: "b", Func: func(c *durable.Context) (string, error) {
			return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
				return "b done", awaitOperations(sc.Context(), "a-wait")
			})
		}},
	}))
	h := handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		clock := &countingClock{Clock: testhook.ClockFrom(ctx)}
		clocks <- clock
		svc := failingOutcome{Service: testhook.Service(ctx), name: "b", failed: &failed}
		return fn.Invoke(testhook.WithClock(testhook.WithService(ctx, svc), clock), payload)
	})
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	if !failed.Load() {
		t.Fatal("no checkpoint failed")
	}
	close(clocks)
	for c := range clocks {
		if n := c.open.Load(); n != 0 {
			t.Errorf("an invocation left %d alarms unreleased", n)
		}
	}
}

// With ReplayDebug, the line a resumed branch logged before its wait
// prints once at its level, and once more at debug, marked as replay,
// when the branch replays to resume: as it would in the next invocation.
func TestResumedBranchLineWithReplayDebug(t *testing.T) {
	runs := &resumeCounts{}
	out := &lockedBuffer{}
	h := durable.Handler(parallelResults(waitingAndWorking(runs)),
		durable.WithLogger(logsink.NewSlogLogger(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		durable.WithReplayLogs(durable.ReplayDebug), durable.WithLogLevel(slog.LevelDebug))
	exec := runWithRunner(t, h)
	wantInOneInvocation(t, exec, `["a done","b done"]`)
	var got []string
	for _, line := range out.lines(t) {
		if line["msg"] == "a before its wait" {
			got = append(got, fmt.Sprintf("%v replay=%v", line["level"], line["replay"]))
		}
	}
	if want := []string{"INFO replay=<nil>", "DEBUG replay=true"}; !slices.Equal(got, want) {
		t.Errorf("a's line before its wait printed as %q, want %q", got, want)
	}
}

// While another branch works long, a branch due by the clock whose wait a
// lagging service does not show ended costs refreshes at a backing-off
// pace (1 s doubling to 16 s), not one per alarm nor a busy loop.
func TestLaggingServiceRefreshesBackOffWhileABranchWorksLong(t *testing.T) {
	runs := &resumeCounts{}
	var refreshes atomic.Int32
	worker := func(c *durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc *durable.StepContext) (string, error) {
			runs.add("b")
			if err := awaitOperations(sc.Context(), "a-wait"); err != nil {
				return "", err
			}
			for range 100 { // 100 s of work in slices, each leaving the batch time to refresh
				durabletest.Sleep(sc.Context(), time.Second)
				time.Sleep(100 * time.Microsecond)
			}
			return "b done", nil
		})
	}
	fn := durable.Handler(parallelResults([]durable.Branch[string]{
		{Name: "a", Func: waitThenStep(runs, "a", 2*time.Second)},
		{Name: "b", Func: worker},
	}))
	h := wrapService(fn, func(svc protocol.Service) protocol.Service {
		return laggingService{Service: svc, refreshes: &refreshes}
	})
	exec := runWithRunner(t, h)
	wantResult(t, exec, `["a done","b done"]`)
	t.Logf("%d refreshes", refreshes.Load())
	// Due at 2 s, then paced: 3, 5, 9, 17, 33, 49, 65, 81, 97 s.
	if n := refreshes.Load(); n > 11 {
		t.Errorf("%d refreshes during 100 s of work, want at most 11: they back off", n)
	}
	wantRunsOnce(t, runs, "a-after", "b")
}
