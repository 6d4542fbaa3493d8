package slogadapter_test

import (
	"errors"
	"log/slog"
	"os"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	durable "github.com/durable-go/durable-go/core"
)

// withoutTime drops slog's time field so that the examples' output is
// stable; real code keeps it.
func withoutTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == "timestamp") {
		return slog.Attr{}
	}
	return a
}

// Wrap the team's *slog.Logger and hand it to the durable handler with
// durable.WithLogger, or to one context with ctx.SetLogger. The logger keeps
// its own keys and format.
func Example() {
	native := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: withoutTime}))
	logger := slogadapter.New(native)
	// In a durable function: ctx.SetLogger(logger); or at the entry point:
	// lambda.Start(durable.Handler(fn, durable.WithLogger(logger))).

	logger.Info("reserved", "orderId", "o-1", durable.Extra{"sku": "A7", "qty": 2})
	logger.Exception("charge failed", errors.New("card declined"), slog.Int("attempt", 3))
	// Output:
	// {"level":"INFO","msg":"reserved","orderId":"o-1","qty":2,"sku":"A7"}
	// {"level":"ERROR","msg":"charge failed","errorType":"*errors.errorString","errorMessage":"card declined","attempt":3}
}

// NewLambdaHandler writes the JSON shape that Lambda's Advanced Logging
// Controls filter by level: timestamp, level, message.
func ExampleNewLambdaHandler() {
	logger := slogadapter.NewHandler(slogadapter.NewLambdaHandler(os.Stdout, slog.LevelInfo))
	logger.Info("order placed", "orderId", "o-1")
	// Prints, for example:
	// {"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","message":"order placed","orderId":"o-1"}
}

// LambdaHandlerOptions is the starting point for a Lambda-shaped handler
// with settings of your own, here a ReplaceAttr that runs after Lambda's.
func ExampleLambdaHandlerOptions() {
	opts := slogadapter.LambdaHandlerOptions(slog.LevelDebug)
	lambdaShape := opts.ReplaceAttr
	opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
		return withoutTime(groups, lambdaShape(groups, a))
	}
	logger := slogadapter.NewHandler(slog.NewJSONHandler(os.Stdout, opts))

	logger.Warning("retrying", "attempt", 2)
	logger.Debug("state loaded")
	// Output:
	// {"level":"WARN","message":"retrying","attempt":2}
	// {"level":"DEBUG","message":"state loaded"}
}

// With binds fields once; core uses it for a context's enrichment.
func ExampleLogger_With() {
	native := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: withoutTime}))
	step := slogadapter.New(native).With("operationName", "reserve", "attempt", 1)
	step.Info("calling inventory")
	// Output:
	// level=INFO msg="calling inventory" operationName=reserve attempt=1
}
