package durable_test

import (
	"log/slog"
	"os"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
)

// stableText is a text handler without the time, for stable example
// output.
func stableText() slog.Handler {
	return slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
}

// fetchRates stands for a library that takes a *slog.Logger.
func fetchRates(log *slog.Logger, currency string) {
	log.Info("fetching rates", "currency", currency)
}

// Slog hands the context logger to code that takes a *slog.Logger: its
// lines pass the same replay gate and carry the same enrichment, so they
// print once per execution too. With and WithGroup bind fields as slog's
// do.
func ExampleLogger_Slog() {
	// In a handler: log := ctx.Logger(). logtest.NewLogger gives the same
	// logger outside a durable function.
	log := logtest.NewLogger(logsink.NewSlogLogger(stableText()), nil)
	fetchRates(log.Slog(), "EUR")
	log.With("order_id", "o-1").WithGroup("charge").Info("charged", "amount", 12.5)
	// Output:
	// level=INFO msg="fetching rates" currency=EUR
	// level=INFO msg=charged order_id=o-1 charge.amount=12.5
}

// WithLogLevel sets the level of every context logger in code, overriding
// AWS_LAMBDA_LOG_LEVEL; it is read at each call, so an slog.LevelVar
// changes it while the function runs.
func ExampleWithLogLevel() {
	var level slog.LevelVar // INFO
	// In a handler: durable.Handler(fn, durable.WithLogLevel(&level)),
	// and ctx.Logger(). logtest.NewLogger takes the same options.
	log := logtest.NewLogger(logsink.NewSlogLogger(stableText()), nil, durable.WithLogLevel(&level))
	log.Debug("not shown")
	level.Set(slog.LevelDebug)
	log.Debug("shown")
	// Output:
	// level=DEBUG msg=shown
}

// A key the call passes replaces the field of the same name bound on the
// logger, so a line holds each key once.
func ExampleLogger_With() {
	log := logtest.NewLogger(logsink.NewSlogLogger(stableText()), nil).With("operationName", "reserve")
	log.Info("renamed", "operationName", "reserve-v2")
	// Output:
	// level=INFO msg=renamed operationName=reserve-v2
}
