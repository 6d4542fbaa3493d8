package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// errBlocked says only an external action could move the execution on.
var errBlocked = errors.New("execution blocked")

// validation is the state of one requirement run: the binding table, the
// captured logs and the problems recorded along the way.
type validation struct {
	req      *Requirement
	cfg      *config
	b        *Bindings
	logs     *logCapture
	problems []string
}

func (v *validation) fail(err error) { v.problems = append(v.problems, describe(err)) }

// describe renders an error, joined errors separated by "; ".
func describe(err error) string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts := make([]string, 0, len(j.Unwrap()))
		for _, e := range j.Unwrap() {
			parts = append(parts, describe(e))
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// check drives the execution down the requirement's path and runs the
// history, result and log checks, stopping at the first failing stage.
func (v *validation) check(ctx context.Context, exec execution) {
	var events []*Map
	matched := false
	if v.req.AsyncInvoke {
		events, matched = v.poll(ctx, exec)
	} else {
		events = v.runSync(ctx, exec)
	}
	if !matched {
		if err := MatchHistory(v.req.ExpectedHistory, events, v.b); err != nil {
			v.fail(err)
			return
		}
	}
	if err := CheckResult(v.req.ExpectedResult, exec.Status(), exec.Result(), v.b); err != nil {
		v.fail(err)
		return
	}
	if len(v.req.ExpectedLogs) > 0 {
		if err := CheckLogs(v.req.ExpectedLogs, v.logs.forExecution(exec.Arn()), v.b); err != nil {
			v.fail(err)
		}
	}
}

// runSync is the synchronous path: the invoke returns when the execution
// has finished, which the virtual clock makes immediate.
func (v *validation) runSync(ctx context.Context, exec execution) []*Map {
	err := exec.RunToCompletion(ctx)
	switch {
	case errors.Is(err, errBlocked):
		v.fail(errors.New("execution blocked: it waits for an external action, and the synchronous path performs none"))
	case err != nil:
		v.fail(fmt.Errorf("run to completion: %w", err))
	}
	events, err := exec.Events()
	if err != nil {
		v.fail(err)
	}
	return events
}

// execution is what the harness needs from a running execution; the
// durabletest runner provides it (tests use fakes).
type execution interface {
	RunToCompletion(ctx context.Context) error
	Advance(ctx context.Context, d time.Duration) error
	SendCallbackSuccess(ctx context.Context, id string, result []byte) error
	SendCallbackFailure(ctx context.Context, id string, e protocol.ErrorObject) error
	SendCallbackHeartbeat(ctx context.Context, id string) error
	Status() string
	Result() *string
	Arn() string
	Clock() time.Time
	// Events returns the history as decoded JSON events.
	Events() ([]*Map, error)
}
