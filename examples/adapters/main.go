// Command adapters runs the same order workflow once per logging library
// (zap, zerolog, logrus, log/slog), each configured with its adapter's
// opt-in Lambda JSON shape, to show that the lines, their enrichment and
// their replay deduplication are the same whatever logger a team uses.
//
//	go run ./examples/adapters
//
// Inside Lambda, or under durable-local, it serves the order workflow with
// the library EXAMPLE_LOGGER names (zap, zerolog, logrus or slog; zap by
// default; -skip-time runs its 30-minute and one-hour waits at once):
//
//	durable-local run -skip-time -e EXAMPLE_LOGGER=zerolog ./examples/adapters '{"orderId":"7","items":["pen"],"amount":3}'
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
	"github.com/durable-go/durable-go/examples/internal/orders"
)

// Loggers returns, per library, a durable logger writing Lambda-shaped
// JSON lines to w.
func Loggers(w io.Writer) map[string]durable.LoggerInterface {
	return map[string]durable.LoggerInterface{
		"zap":     zapadapter.New(zapadapter.NewLambdaLogger(zapcore.AddSync(w), zap.InfoLevel)),
		"zerolog": zerologadapter.New(zerologadapter.NewLambdaLogger(w, zerolog.InfoLevel)),
		"logrus":  logrusadapter.New(logrusadapter.NewLambdaLogger(w, logrus.InfoLevel)),
		"slog":    slogadapter.NewHandler(slogadapter.NewLambdaHandler(w, slog.LevelInfo)),
	}
}

// Names lists the libraries in a stable order.
var Names = []string{"zap", "zerolog", "logrus", "slog"}

// LambdaFunction is the durable function the binary serves in Lambda:
// the order workflow logging through the library named by logger ("" is
// zap).
func LambdaFunction(logger string, w io.Writer) (*durable.Function, error) {
	if logger == "" {
		logger = "zap"
	}
	l, ok := Loggers(w)[logger]
	if !ok {
		return nil, fmt.Errorf("EXAMPLE_LOGGER=%q: want one of %v", logger, Names)
	}
	return durable.Handler(orders.Process, durable.WithLogger(l)), nil
}

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		fn, err := LambdaFunction(os.Getenv("EXAMPLE_LOGGER"), os.Stdout)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		lambda.Start(fn)
		return
	}
	loggers := Loggers(os.Stdout)
	for _, name := range Names {
		fmt.Printf("\n===== %s =====\n", name)
		fn := durable.Handler(orders.Process, durable.WithLogger(loggers[name]))
		exec, err := local.Run(fn, orders.Order{ID: name + "-1", Items: []string{"pen"}, Amount: 3})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		local.Summarize(os.Stdout, exec)
	}
}
