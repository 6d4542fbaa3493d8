package zerologadapter_test

import (
	"errors"
	"log/slog"
	"os"
	"time"

	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/rs/zerolog"
)

// Wrap the team's zerolog.Logger and hand it to the durable handler with
// durable.WithLogger, or to one context with ctx.SetLogger. The logger keeps
// its own field names, level names and format.
func Example() {
	z := zerolog.New(os.Stdout).With().Str("service", "orders").Logger()
	logger := zerologadapter.New(z)
	// In a durable function: ctx.SetLogger(logger); or at the entry point:
	// lambda.Start(durable.Handler(fn, durable.WithLogger(logger))).

	logger.Info("reserved", "orderId", "o-1", durable.Extra{"sku": "A7", "qty": 2})
	logger.Exception("charge failed", errors.New("card declined"), slog.Int("attempt", 3))
	// Output:
	// {"level":"info","service":"orders","orderId":"o-1","qty":2,"sku":"A7","message":"reserved"}
	// {"level":"error","service":"orders","errorType":"*errors.errorString","errorMessage":"card declined","attempt":3,"message":"charge failed"}
}

// NewLambdaLogger writes the JSON shape that Lambda's Advanced Logging
// Controls filter by level: timestamp, level, message, then the fields.
func ExampleNewLambdaLogger() {
	// The writer reads the time from zerolog.TimestampFunc, like zerolog's
	// own Timestamp(); a fixed clock keeps this example's output stable.
	defer func(saved func() time.Time) { zerolog.TimestampFunc = saved }(zerolog.TimestampFunc)
	zerolog.TimestampFunc = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

	logger := zerologadapter.New(zerologadapter.NewLambdaLogger(os.Stdout, zerolog.InfoLevel))
	logger.Info("order placed", "orderId", "o-1")
	logger.Warning("retrying", slog.Duration("backoff", 2*time.Second))
	logger.Debug("dropped: below the logger's level")
	// Output:
	// {"timestamp":"2026-01-02T03:04:05.000Z","level":"INFO","message":"order placed","orderId":"o-1"}
	// {"timestamp":"2026-01-02T03:04:05.000Z","level":"WARN","message":"retrying","backoff":2000}
}

// With binds fields once, into a child zerolog.Logger; core uses it for a
// context's enrichment.
func ExampleLogger_With() {
	step := zerologadapter.New(zerolog.New(os.Stdout)).With("operationName", "reserve", "attempt", 1)
	step.Info("calling inventory")
	// Output:
	// {"level":"info","operationName":"reserve","attempt":1,"message":"calling inventory"}
}

// LogAttrs is the typed fast path: slog.Attr values reach zerolog's typed
// methods without being boxed.
func ExampleLogger_LogAttrs() {
	logger := zerologadapter.New(zerolog.New(os.Stdout))
	logger.LogAttrs(slog.LevelInfo, "charged",
		slog.Int64("cents", 1250), slog.Group("card", slog.String("brand", "visa")))
	// Output:
	// {"level":"info","cents":1250,"card":{"brand":"visa"},"message":"charged"}
}

// Zerolog returns the logger underneath, for code that logs natively.
// Such lines bypass replay deduplication.
func ExampleLogger_Zerolog() {
	logger := zerologadapter.New(zerolog.New(os.Stdout))
	z := logger.Zerolog()
	z.Info().Str("native", "yes").Msg("direct")
	// Output:
	// {"level":"info","native":"yes","message":"direct"}
}
