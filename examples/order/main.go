// Command order is the main durable-go demo: an order workflow that
// reserves stock, waits out a cancellation window, charges the card and
// logs through the replay-aware context logger with extra fields.
//
//	go run ./examples/order
//
// runs it on the local runner and shows its invocations; deployed to
// Lambda (see examples/template.yaml) the same binary serves the durable
// function.
package main

import (
	"log/slog"
	"os"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

// NewFunction builds the durable handler, logging Lambda-shaped JSON to
// stdout through log/slog.
func NewFunction() *durable.Function {
	logger := slogadapter.NewHandler(slogadapter.NewLambdaHandler(os.Stdout, slog.LevelInfo))
	return durable.Handler(orders.Process, durable.WithLogger(logger))
}

func main() {
	local.Main(NewFunction(), orders.Order{ID: "42", Items: []string{"book", "lamp"}, Amount: 59.90})
}
