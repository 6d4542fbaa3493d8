package durable_test

import (
	"errors"
	"log/slog"
	"os"

	durable "github.com/durable-go/durable-go/core"
)

// NewSlogLogger turns any log/slog handler into a LoggerInterface for
// WithLogger or Context.SetLogger.
func ExampleNewSlogLogger() {
	h := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable for the example
			}
			return a
		},
	})
	log := durable.NewSlogLogger(h)
	log.Info("reserved", "order_id", "o-1", durable.Extra{"items": 2})
	log.Exception("charge failed", errors.New("card declined"), "order_id", "o-1")
	// Output:
	// {"level":"INFO","msg":"reserved","order_id":"o-1","items":2}
	// {"level":"ERROR","msg":"charge failed","errorType":"*errors.errorString","errorMessage":"card declined","order_id":"o-1"}
}
