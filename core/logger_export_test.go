package durable

import (
	"io"
	"log/slog"
)

// NewDefaultHandlerForTest exposes the default logger's handler to the
// external tests, writing to w instead of stdout.
func NewDefaultHandlerForTest(w io.Writer, level slog.Level, json bool) slog.Handler {
	return newLambdaHandler(w, lambdaEnv{level: level, levelSet: true, json: json}, nil)
}
