package durable_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// shortText is a text handler at debug level without the time, whose
// execution ARN, request id and operation id values are elided, for
// stable example output.
func shortText() slog.Handler {
	return slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey:
				return slog.Attr{}
			case "executionArn", "requestId", "operationId", "execution_arn", "request_id", "operation_id":
				a.Value = slog.StringValue("…")
			}
			return a
		},
	})
}

// A line logged before a wait prints once by default. WithReplayLogs
// (ReplayDebug) prints it again on every replay, at debug level and marked
// replay=true, to see what a replay went through.
func ExampleWithReplayLogs() {
	fn := func(ctx *durable.Context, _ any) (string, error) {
		ctx.Logger().Info("order received")
		if err := durable.Wait(ctx, "cool-off", time.Minute); err != nil {
			return "", err
		}
		ctx.Logger().Info("order shipped")
		return "done", nil
	}
	h := durable.Handler(fn, durable.WithLogger(logsink.NewSlogLogger(shortText())),
		durable.WithReplayLogs(durable.ReplayDebug))
	exec, err := durabletest.NewRunner(h).Run(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exec.Status(), len(exec.Invocations()), "invocations")
	// Output:
	// level=INFO msg="order received" executionArn=… requestId=…
	// level=DEBUG msg="order received" executionArn=… requestId=… replay=true
	// level=INFO msg="order shipped" executionArn=… requestId=…
	// SUCCEEDED 2 invocations
}

// WithFieldNames(SnakeCase) names the fields core adds as the older Python
// SDK documentation does; the default is the camelCase of the Python SDK's
// code (executionArn, operationId, operationName, ...).
func ExampleWithFieldNames() {
	fn := func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "charge", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Info("charging")
			return 42, nil
		})
	}
	h := durable.Handler(fn, durable.WithLogger(logsink.NewSlogLogger(shortText())),
		durable.WithFieldNames(durable.SnakeCase))
	if _, err := durabletest.NewRunner(h).Run(context.Background(), nil); err != nil {
		fmt.Println(err)
	}
	// Output:
	// level=INFO msg=charging execution_arn=… request_id=… operation_id=… name=charge attempt=1
}
