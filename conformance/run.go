package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/durable-go/durable-go/core/durabletest"
)

// Run loads every requirement under dir and runs each one against reg,
// one after the other, in id order. The error reports only a directory that
// cannot be loaded; requirement failures are outcomes.
func Run(ctx context.Context, dir string, reg Registry, opts ...Option) ([]Outcome, error) {
	reqs, err := Load(dir)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	var outcomes []Outcome
	for _, r := range reqs {
		if cfg.only != nil && !cfg.only[r.ID] {
			continue
		}
		outcomes = append(outcomes, runRequirement(ctx, r, reg, cfg))
	}
	return outcomes, nil
}

// RunRequirement runs one requirement against reg on the local runner and
// returns its outcome. An id without a registry entry is NOT_IMPLEMENTED
// ("no handler registered"), as is an entry that declares a gap.
func RunRequirement(ctx context.Context, req *Requirement, reg Registry, opts ...Option) Outcome {
	return runRequirement(ctx, req, reg, newConfig(opts))
}

func runRequirement(ctx context.Context, req *Requirement, reg Registry, cfg *config) (out Outcome) {
	out = Outcome{ID: req.ID, Suite: req.Suite, Description: req.Description, Optional: req.Optional}
	entry, ok := reg.Entries[req.ID]
	switch {
	case ok && entry.NotImplemented != "":
		out.Status, out.Detail = NotImplemented, entry.NotImplemented
		return out
	case !ok || entry.New == nil:
		out.Status, out.Detail = NotImplemented, uncovered
		return out
	}
	defer func() {
		if p := recover(); p != nil { // a handler bug must not stop the run
			out.Status, out.Detail = Failed, fmt.Sprintf("panic: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	v := &validation{req: req, cfg: cfg, b: NewBindings(), logs: &logCapture{}}
	problems := v.execute(ctx, reg, entry)
	out.Status = Passed
	if len(problems) > 0 {
		out.Status, out.Detail = Failed, oneLine(strings.Join(problems, "; "))
	}
	return out
}

func (v *validation) execute(ctx context.Context, reg Registry, entry Entry) []string {
	if err := bindVariables(v.req.Variables, v.b, v.cfg.rand); err != nil {
		v.fail(err)
		return v.problems
	}
	exec, err := v.start(ctx, reg, entry)
	if err != nil {
		v.fail(err)
		return v.problems
	}
	v.check(ctx, exec)
	return v.problems
}

// start builds the handler and its targets and starts the execution.
func (v *validation) start(ctx context.Context, reg Registry, entry Entry) (execution, error) {
	targets := reg.targetNames()
	env := &Env{ID: v.req.ID, Stdout: v.logs, Targets: targets}
	var opts []durabletest.Option
	if !v.cfg.startTime.IsZero() {
		opts = append(opts, durabletest.WithStartTime(v.cfg.startTime))
	}
	for fn, newTarget := range reg.Targets {
		tenv := &Env{ID: v.req.ID, Stdout: discard{}, Targets: targets}
		opts = append(opts, durabletest.WithInvokeTarget(fn, newTarget(tenv)))
	}
	opts = append(opts, entry.RunnerOptions...)
	opts = append(opts, durabletest.WithLogObserver(v.logs.observe))
	input := v.b.substituteDeep(v.req.Input)
	e, err := durabletest.NewRunner(entry.New(env), opts...).Start(ctx, input)
	if err != nil {
		return nil, fmt.Errorf("start execution: %w", err)
	}
	return runnerExecution{e}, nil
}

// runnerExecution adapts a durabletest execution to the harness.
type runnerExecution struct{ *durabletest.Execution }

// RunToCompletion implements execution, translating durabletest.ErrBlocked.
func (e runnerExecution) RunToCompletion(ctx context.Context) error {
	err := e.Execution.RunToCompletion(ctx)
	if errors.Is(err, durabletest.ErrBlocked) {
		return fmt.Errorf("%w: %w", errBlocked, err)
	}
	return err
}

// Events implements execution.
func (e runnerExecution) Events() ([]*Map, error) {
	data, err := json.Marshal(e.History())
	if err != nil {
		return nil, fmt.Errorf("encode history: %w", err)
	}
	return ParseHistory(data)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
