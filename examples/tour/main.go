// Command tour is a durable function that goes through every way an
// execution suspends: a wait, a retried step, a callback and a chained
// invoke of a second function (./receipt). It is meant to run under
// durable-local, which starts it as a real Lambda binary:
//
//	durable-local run -f receipt=./examples/tour/receipt ./examples/tour '{"order":"42"}'
//
// then, when the timeline shows the callback id:
//
//	durable-local callback -endpoint <url> succeed <callback-id> '"approved"'
package main

import (
	"errors"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	durable "github.com/durable-go/durable-go/core"
)

// Input is the tour's input.
type Input struct {
	Order string `json:"order"`
}

// Output is what the tour returns.
type Output struct {
	Order    string `json:"order"`
	Charge   string `json:"charge"`
	Approval string `json:"approval"`
	Receipt  string `json:"receipt"`
}

// errBusy is what the payment network answers on the first attempt.
var errBusy = errors.New("payment network busy")

// Tour waits, charges with one retry, waits for an approval callback and
// asks the receipt function for a receipt.
func Tour(ctx *durable.Context, in Input) (Output, error) {
	log := ctx.Logger()
	log.Info("tour started", "order", in.Order)
	if err := durable.Wait(ctx, "cool-off", time.Second); err != nil {
		return Output{}, err
	}
	charge, err := durable.Step(ctx, "charge", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("charging card")
		if sc.Attempt() < 2 {
			return "", errBusy
		}
		return "charged", nil
	}, durable.WithRetryStrategy(durable.ExponentialRetry(durable.RetryConfig{
		MaxAttempts: 3, InitialDelay: time.Second, Jitter: durable.JitterNone})))
	if err != nil {
		return Output{}, err
	}
	approval, err := durable.WaitForCallback[string](ctx, "approval", func(sc *durable.StepContext, callbackID string) error {
		sc.Logger().Info("approval requested", "callbackId", callbackID)
		return nil
	})
	if err != nil {
		return Output{}, err
	}
	receipt, err := durable.Invoke[string](ctx, "receipt", "receipt", in)
	if err != nil {
		return Output{}, err
	}
	log.Info("tour finished", "receipt", receipt)
	return Output{Order: in.Order, Charge: charge, Approval: approval, Receipt: receipt}, nil
}

func main() { lambda.Start(durable.Handler(Tour)) }
