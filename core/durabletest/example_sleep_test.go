package durabletest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/plugin"
)

// onSuspend closes suspended when the branch named branch first suspends.
// Its wait's START is checkpointed by then, so the wait's timer runs.
type onSuspend struct {
	plugin.Base
	branch    string
	suspended chan struct{}
	once      *sync.Once
}

func (onSuspend) OnFunctionStart(context.Context, *plugin.FunctionInfo) {}

func (p onSuspend) OnFunctionEnd(_ context.Context, f *plugin.FunctionInfo) {
	if f.Name == p.branch && f.Suspended {
		p.once.Do(func() { close(p.suspended) })
	}
}

// Branch "remind" waits 2 s while branch "report" works 10 s: the wait ends
// during the work, and "remind" resumes in the same invocation. Sleep
// models the work on the runner's virtual clock; the real test takes no
// time.
func ExampleSleep() {
	suspended := make(chan struct{})
	branches := []durable.Branch[string]{
		{Name: "remind", Func: func(c *durable.Context) (string, error) {
			if err := durable.Wait(c, "reminder-delay", 2*time.Second); err != nil {
				return "", err
			}
			return durable.Step(c, "send-reminder", func(*durable.StepContext) (string, error) {
				return "reminded", nil
			})
		}},
		{Name: "report", Func: func(c *durable.Context) (string, error) {
			return durable.Step(c, "build-report", func(sc *durable.StepContext) (string, error) {
				<-suspended // start the work once remind's wait has started
				durabletest.Sleep(sc.Context(), 10*time.Second)
				return "reported", nil
			})
		}},
	}
	handler := func(ctx *durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "jobs", branches)
		if err != nil {
			return nil, err
		}
		return res.Results(), res.Err()
	}
	quiet := logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil))
	r := durabletest.NewRunner(durable.Handler(handler, durable.WithLogger(quiet),
		durable.WithPlugins(onSuspend{branch: "remind", suspended: suspended, once: &sync.Once{}})))

	exec, err := r.Run(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exec.Status(), *exec.Result(), "in", len(exec.Invocations()), "invocation")
	ended := map[string]time.Duration{}
	for _, ev := range exec.History() {
		switch ev.EventType {
		case durabletest.EventWaitSucceeded, durabletest.EventStepSucceeded:
			ended[ev.Name] = ev.EventTimestamp.Sub(durabletest.DefaultStartTime)
		}
	}
	for _, name := range []string{"reminder-delay", "build-report", "send-reminder"} {
		fmt.Printf("%s ended at +%v\n", name, ended[name])
	}
	// Output:
	// SUCCEEDED ["reminded","reported"] in 1 invocation
	// reminder-delay ended at +2s
	// build-report ended at +10s
	// send-reminder ended at +10s
}
