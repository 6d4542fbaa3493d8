package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
)

// handlerEntry wraps a durable handler, built per run, as a registry entry.
// The handler's logger writes nowhere: the harness sees every emitted line
// through its log observer, so printing them too would only add noise.
func handlerEntry[In, Out any](fn func(*durable.Context, In) (Out, error), opts ...durable.Option) conformance.Entry {
	return conformance.Entry{New: func(*conformance.Env) durabletest.Handler {
		return durable.Handler(fn, append([]durable.Option{quietStepLogger()}, opts...)...)
	}}
}

// quietStepLogger is a logger that discards its output; lines still count
// as emitted for the harness's log capture.
func quietStepLogger() durable.Option {
	return durable.WithLogger(logsink.NewSlogLogger(slog.NewJSONHandler(io.Discard, nil)))
}

// TransientError is the custom error type the retry-filtering requirements
// throw and their retry strategies look for.
type TransientError struct{ Msg string }

// Error implements error.
func (e *TransientError) Error() string { return e.Msg }

// ErrorType names the error in checkpointed ErrorObjects.
func (e *TransientError) ErrorType() string { return "TransientError" }

// retryOnTransient retries TransientError (after one second) and nothing
// else.
func retryOnTransient(err error, attempt int) durable.RetryDecision {
	var te *TransientError
	if errors.As(err, &te) && attempt < 3 {
		return durable.RetryDecision{ShouldRetry: true, Delay: time.Second}
	}
	return durable.RetryDecision{}
}

// uppercaseSerdes serializes values as JSON with every string upper-cased.
var uppercaseSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		if s, ok := v.(string); ok {
			v = strings.ToUpper(s)
		}
		b, err := json.Marshal(v)
		return string(b), err
	},
	DeserializeFunc: func(data string, target any) error {
		return json.Unmarshal([]byte(data), target)
	},
}

// fixedRetry retries every error up to maxAttempts attempts in all,
// with delays of initial * backoff^(attempt-1) and no jitter.
func fixedRetry(maxAttempts int, initial time.Duration, backoff float64) durable.RetryStrategy {
	return durable.ExponentialRetry(durable.RetryConfig{
		MaxAttempts:  maxAttempts,
		InitialDelay: initial,
		MaxDelay:     time.Hour,
		BackoffRate:  backoff,
		Jitter:       durable.JitterNone,
	})
}
