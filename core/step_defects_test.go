package durable_test

import (
	"errors"
	"testing"

	durable "github.com/durable-go/durable-go/core"
)

// WithRetryStrategy(nil), e.g. a strategy variable left unset, means the
// default strategy: it used to be called at the first failed attempt and
// panic, failing the execution with a nil-function panic after the body
// had run and without checkpointing the attempt's failure.
func TestNilRetryStrategyMeansDefault(t *testing.T) {
	var strategy durable.RetryStrategy // unset
	h := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
			if sc.Attempt() < 2 {
				return 0, errors.New("not yet")
			}
			return sc.Attempt(), nil
		}, durable.WithRetryStrategy(strategy))
	})
	wantResult(t, run(t, h, nil), "2")
}
