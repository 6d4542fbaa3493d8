// Command receipt is the durable function the tour invokes: it writes a
// receipt for an order in one step.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	durable "github.com/durable-go/durable-go/core"
)

// Order is the receipt function's input.
type Order struct {
	Order string `json:"order"`
}

// Receipt returns the receipt number of an order.
func Receipt(ctx *durable.Context, in Order) (string, error) {
	return durable.Step(ctx, "write receipt", func(sc *durable.StepContext) (string, error) {
		sc.Logger().Info("writing receipt", "order", in.Order)
		return "R-" + in.Order, nil
	})
}

func main() { lambda.Start(durable.Handler(Receipt)) }
