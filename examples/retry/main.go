// Command retry shows a retrying step: each attempt runs in its own
// invocation after the retry delay, and its log lines carry the attempt
// number, so the retry story reads straight from the logs.
//
//	go run ./examples/retry
package main

import (
	"errors"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
)

// ErrUnavailable is what the flaky payment gateway answers.
var ErrUnavailable = errors.New("gateway unavailable")

// Process charges through a gateway that fails twice before it answers.
func Process(ctx *durable.Context, amount float64) (string, error) {
	ctx.Logger().Info("charging", "amount", amount)
	return durable.Step(ctx, "charge", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("calling gateway") // carries attempt=1, 2, 3
		if sc.Attempt() < 3 {
			sc.Logger().Warning("gateway failed", "error", ErrUnavailable)
			return "", ErrUnavailable
		}
		return "charged", nil
	}, durable.WithRetryStrategy(durable.ExponentialRetry(durable.RetryConfig{
		MaxAttempts:  5,
		InitialDelay: 2 * time.Second,
		Jitter:       durable.JitterNone,
	})))
}

func main() { local.Main(durable.Handler(Process), 12.5) }
