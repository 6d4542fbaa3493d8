package durable_test

import (
	"context"
	"hash/fnv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/plugin"
)

// flowWorkKey marks the invocation contexts in which the steps of random
// workflows work for a while of virtual time (flowWork).
type flowWorkKey struct{}

// flowWork makes the step name of item work for 0 to 3 s of virtual time
// when the invocation's context asks for it, so that waits and retries
// of other branches come due while it works.
func flowWork(sc *durable.StepContext, name string, item int) {
	if sc.Context().Value(flowWorkKey{}) == nil {
		return
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	// In slices, leaving the other branches time to reach their waits.
	for range (int(h.Sum32()) + item) % 4 {
		time.Sleep(200 * time.Microsecond)
		durabletest.Sleep(sc.Context(), time.Second)
	}
}

// Random workflows whose steps take time, so that map items and parallel
// branches resume in process, end as they do when no time passes during
// an invocation: same result, same completed operations, no at-most-once
// attempt run twice, no operation succeeded twice, and never more
// invocations. (Rarely fewer: a timer that fired during an invocation
// makes the service invoke again once it suspends, as it must, since it
// cannot know whether the invocation acted on the change.)
func TestRandomWorkflowsWithInProcessResume(t *testing.T) {
	ctx := context.Background()
	spotter := &resumeSpotter{starts: map[string]int{}}
	for seed := uint64(1); seed <= 150; seed++ {
		prog := genFlow(seed)
		run := func(work bool) (*durabletest.Execution, *flowRuns) {
			runs := &flowRuns{}
			fn := durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
				return runFlow(ctx, prog, "n", 0, runs)
			}, durable.WithPlugins(spotter))
			h := handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
				if work {
					ctx = context.WithValue(ctx, flowWorkKey{}, true)
				}
				return fn.Invoke(ctx, payload)
			})
			exec, err := durabletest.NewRunner(h).Start(ctx, nil)
			if err == nil {
				err = driveFlow(ctx, exec)
			}
			if err != nil {
				t.Fatalf("seed %d (work %v): %v", seed, work, err)
			}
			return exec, runs
		}
		base, _ := run(false)
		exec, runs := run(true)
		if base.Status() != exec.Status() || deref(base.Result()) != deref(exec.Result()) {
			t.Errorf("seed %d: %s %s, without time passing %s %s", seed, exec.Status(), deref(exec.Result()), base.Status(), deref(base.Result()))
			continue
		}
		want, got := completed(base), completed(exec)
		for id, w := range want {
			if got[id] != w {
				t.Errorf("seed %d: operation %s is %q, without time passing %q", seed, id, got[id], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("seed %d: %d completed operations, without time passing %d", seed, len(got), len(want))
		}
		if rep := runs.repeated(); len(rep) > 0 {
			t.Errorf("seed %d: at-most-once attempts ran again: %v", seed, rep)
		}
		if twice := succeededTwice(exec); len(twice) > 0 {
			t.Errorf("seed %d: operations succeeded twice: %v", seed, twice)
		}
		if n, m := len(exec.Invocations()), len(base.Invocations()); n > m {
			t.Errorf("seed %d: %d invocations, without time passing %d", seed, n, m)
		}
	}
	if spotter.resumed == 0 {
		t.Error("no map item or parallel branch resumed in process")
	}
	t.Logf("%d in-process resumes", spotter.resumed)
}

// resumeSpotter counts the functions started twice in one invocation:
// map items and parallel branches resumed in process.
type resumeSpotter struct {
	plugin.Base
	mu      sync.Mutex
	starts  map[string]int // by invocation and operation id
	resumed int
}

func (s *resumeSpotter) OnFunctionStart(ctx context.Context, info *plugin.FunctionInfo) {
	lc, _ := lambdacontext.FromContext(ctx)
	if lc == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := lc.AwsRequestID + "/" + info.ID
	if s.starts[key]++; s.starts[key] == 2 {
		s.resumed++
	}
}

func (s *resumeSpotter) OnFunctionEnd(context.Context, *plugin.FunctionInfo) {}
