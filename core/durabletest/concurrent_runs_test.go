package durabletest_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// quietLogs keeps the handlers' log lines out of the test output.
var quietLogs = durable.WithLogger(logsink.NewSlogLogger(slog.NewTextHandler(io.Discard, nil)))

// Parallel subtests sharing one Runner call Run from several goroutines:
// the runs take turns on the runner's clock, and every one completes,
// instead of all but one failing with ErrBusy and leaving its execution
// behind RUNNING.
func TestConcurrentRunsOnOneRunnerAllComplete(t *testing.T) {
	r := durabletest.NewRunner(durable.Handler(func(ctx *durable.Context, n int) (int, error) {
		if err := durable.Wait(ctx, "cool-down", time.Minute); err != nil {
			return 0, err
		}
		return durable.Step(ctx, "double", func(*durable.StepContext) (int, error) { return 2 * n, nil })
	}, quietLogs))
	const runs = 8
	var wg sync.WaitGroup
	errs := make([]error, runs)
	execs := make([]*durabletest.Execution, runs)
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			execs[i], errs[i] = r.Run(context.Background(), i)
		}()
	}
	wg.Wait()
	for i := range runs {
		if errs[i] != nil {
			t.Errorf("run %d: %v", i, errs[i])
			continue
		}
		if got := execs[i].Status(); got != durabletest.ExecutionSucceeded {
			t.Errorf("run %d: status %s, want SUCCEEDED", i, got)
		}
	}
	if n := len(r.Executions()); n != runs {
		t.Errorf("the runner holds %d executions, want %d", n, runs)
	}
}

// A Run waiting for its turn gives up when its context ends.
func TestRunWaitingForItsTurnHonoursItsContext(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	r := durabletest.NewRunner(durable.Handler(func(ctx *durable.Context, first bool) (string, error) {
		if first {
			close(entered)
			<-release
		}
		return "done", nil
	}, quietLogs))
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(context.Background(), true)
		done <- err
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Run(ctx, false); err != context.Canceled {
		t.Errorf("Run with a cancelled context while another run drives = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(r.Executions()); n != 1 {
		t.Errorf("the runner holds %d executions, want 1: a Run that never got its turn must not start one", n)
	}
}
