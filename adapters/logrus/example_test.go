package logrusadapter_test

import (
	"errors"
	"log/slog"
	"os"
	"time"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	durable "github.com/durable-go/durable-go/core"
	"github.com/sirupsen/logrus"
)

// someTime pins the examples' timestamps so that their output is stable;
// real code leaves the time to logrus.
var someTime = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// Wrap the team's *logrus.Logger (or a *logrus.Entry) and hand it to the
// durable handler with durable.WithLogger, or to one context with
// ctx.SetLogger. The logger keeps its own formatter and level names.
func Example() {
	native := logrus.New()
	native.SetOutput(os.Stdout)
	native.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})
	logger := logrusadapter.New(native)
	// In a durable function: ctx.SetLogger(logger); or at the entry point:
	// lambda.Start(durable.Handler(fn, durable.WithLogger(logger))).

	logger.Info("reserved", "orderId", "o-1", durable.Extra{"sku": "A7", "qty": 2})
	logger.Exception("charge failed", errors.New("card declined"), slog.Int("attempt", 3))
	// Output:
	// level=info msg=reserved orderId=o-1 qty=2 sku=A7
	// level=error msg="charge failed" attempt=3 errorMessage="card declined" errorType="*errors.errorString"
}

// NewLambdaLogger returns a logrus logger writing the JSON shape that
// Lambda's Advanced Logging Controls filter by level: timestamp, level,
// message, then the fields. Warnings are written as WARN, not "warning".
func ExampleNewLambdaLogger() {
	native := logrusadapter.NewLambdaLogger(os.Stdout, logrus.InfoLevel)
	logger := logrusadapter.New(native.WithTime(someTime))

	logger.Warning("retrying", "attempt", 2, slog.Group("req", slog.String("id", "r-1")))
	logger.Debug("below the logger's level: not written")
	// Output:
	// {"timestamp":"2026-01-01T12:00:00.000Z","level":"WARN","message":"retrying","attempt":2,"req":{"id":"r-1"}}
}

// LambdaFormatter gives an existing logger the Lambda JSON shape and keeps
// the rest of its configuration: output, level, hooks.
func ExampleLambdaFormatter() {
	native := logrus.New()
	native.SetOutput(os.Stdout)
	native.SetFormatter(logrusadapter.LambdaFormatter())

	native.WithTime(someTime).WithField("orderId", "o-1").Warn("stock low")
	// Output:
	// {"timestamp":"2026-01-01T12:00:00.000Z","level":"WARN","message":"stock low","orderId":"o-1"}
}

// With binds fields once; core uses it for a context's enrichment. Logrus
// gives back the *logrus.Entry that carries them.
func ExampleLogger_With() {
	native := logrus.New()
	native.SetOutput(os.Stdout)
	native.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})
	step := logrusadapter.New(native).With("operationName", "reserve", "attempt", 1)

	step.Info("calling inventory")
	step.(*logrusadapter.Logger).Logrus().Info("straight to logrus")
	// Output:
	// level=info msg="calling inventory" attempt=1 operationName=reserve
	// level=info msg="straight to logrus" attempt=1 operationName=reserve
}
