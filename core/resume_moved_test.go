package durable_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

// wantHooksOfOneResume checks the hooks of branch name, which suspended
// once and resumed in process: its function starts twice, the first run
// ending suspended, and its operation starts once and ends with status
// (ok: the second run succeeded).
func wantHooksOfOneResume(t *testing.T, log *resumeHookLog, name, status string) {
	t.Helper()
	ok := status == "SUCCEEDED"
	want := []string{
		"operation start " + name,
		"function start " + name, "function end " + name + " ok=false suspended=true",
		"function start " + name, fmt.Sprintf("function end %s ok=%v suspended=false", name, ok),
		"operation end " + name + " " + status,
	}
	if got := log.of(name); !slices.Equal(got, want) {
		t.Errorf("hooks of branch %s:\n got %q\nwant %q", name, got, want)
	}
}

// callbackThenWorkBranches returns branch a, which creates a callback,
// takes its result and then runs the step "a-after", and branch b, whose
// first step completes a's callback from outside (the runner's callback
// API) and whose three steps each work 10 s of virtual time. b's last step
// goes on only once a's step ran: a must resume as soon as b's checkpoint
// brought the callback's completion, not when the batch would suspend.
func callbackThenWorkBranches(log *resumeHookLog, runs *resumeCounts) []durable.Branch[string] {
	ids := make(chan string, 1)
	aRan := make(chan struct{})
	var once sync.Once
	a := func(c *durable.Context) (string, error) {
		v, err := callbackBranch("a before its callback", ids)(c)
		if err != nil {
			return "", err
		}
		return durable.Step(c, "a-after", func(*durable.StepContext) (string, error) {
			runs.add("a-after")
			log.add("a-after")
			once.Do(func() { close(aRan) })
			return v + " then a", nil
		})
	}
	work := func(c *durable.Context, name string, body func(*durable.StepContext) error) error {
		_, err := durable.Step(c, name, func(sc *durable.StepContext) (string, error) {
			runs.add(name)
			if err := body(sc); err != nil {
				return "", err
			}
			if !durabletest.Sleep(sc.Context(), 10*time.Second) {
				return "", errors.New("durabletest.Sleep found no running invocation")
			}
			log.add(name)
			return name + " done", nil
		})
		return err
	}
	b := func(c *durable.Context) (string, error) {
		err := work(c, "b1", func(sc *durable.StepContext) error {
			r, _ := sc.Context().Value(runnerKey{}).(*durabletest.Runner)
			if r == nil {
				return errors.New("no runner in the context")
			}
			// This step's own checkpoint brings the completion.
			return r.Executions()[0].SendCallbackSuccess(sc.Context(), <-ids, []byte("ok"))
		})
		if err == nil {
			err = work(c, "b2", func(*durable.StepContext) error { return nil })
		}
		if err == nil {
			err = work(c, "b3", func(*durable.StepContext) error {
				select {
				case <-aRan:
					return nil
				//durable:ignore nondeterminism a test's guard against hanging, not a timing assertion
				case <-time.After(10 * time.Second):
					return errors.New("a's step did not run while b worked")
				}
			})
		}
		if err != nil {
			return "", err
		}
		return "b done", nil
	}
	return []durable.Branch[string]{{Name: "a", Func: a}, {Name: "b", Func: b}}
}

// A branch whose callback another branch's checkpoint reported completed
// resumes at once, while the other branch still works: a's step after the
// callback runs before b's last step, in one invocation, and no step runs
// twice. Under a concurrency bound, the suspended branch keeps its slot
// and resumes in it the same way, before the queued branch starts.
func TestBranchResumesAsSoonAsACheckpointShowsItsCallbackCompleted(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []durable.BatchOption
	}{
		{name: "unbounded"},
		{name: "max concurrency", opts: []durable.BatchOption{durable.WithMaxConcurrency(2)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, runs, hooks := &resumeHookLog{}, &resumeCounts{}, &resumeHookLog{}
			branches := callbackThenWorkBranches(log, runs)
			result := `["cb ok then a","b done"]`
			if tc.opts != nil {
				branches = append(branches, durable.Branch[string]{Name: "c", Func: func(c *durable.Context) (string, error) {
					return durable.Step(c, "c", func(*durable.StepContext) (string, error) {
						log.add("c")
						return "c done", nil
					})
				}})
				result = `["cb ok then a","b done","c done"]`
			}
			h := durable.Handler(parallelResults(branches, tc.opts...), durable.WithPlugins(hooks))
			exec := runWithRunner(t, h)
			wantInOneInvocation(t, exec, result, "a before its callback")
			wantRunsOnce(t, runs, "a-after", "b1", "b2", "b3")
			log.mu.Lock()
			got := slices.Clone(log.events)
			log.mu.Unlock()
			// a's step runs while b works: after b1 brought the news,
			// before b3. (b2 and a-after run concurrently.)
			if ia, i3 := slices.Index(got, "a-after"), slices.Index(got, "b3"); ia < 0 || i3 < 0 || ia > i3 || slices.Index(got, "b1") > ia {
				t.Errorf("order of the steps %q, want a-after between b1 and b3", got)
			}
			// c waits for a slot: a's, once a ended after its step.
			if tc.opts != nil && slices.Index(got, "c") < slices.Index(got, "a-after") {
				t.Errorf("order of the steps %q: c should start once a or b ended", got)
			}
			wantHooksOfOneResume(t, hooks, "a", "SUCCEEDED")
			for _, name := range []string{"b", "cb", "a-after", "b3"} {
				if got := hooks.of(name); len(got) == 0 || len(got)%2 != 0 {
					t.Errorf("hooks of %s unbalanced: %q", name, got)
				}
			}
		})
	}
}
