package durable

import (
	"log/slog"

	"github.com/durable-go/durable-go/core/internal/logattr"
	"github.com/durable-go/durable-go/core/logsink"
)

// Level is a log level. It is log/slog's Level, so slog's constants and
// any slog.Leveler interoperate directly.
type Level = slog.Level

// The four levels of the logger contract. Exception logs at LevelError.
const (
	LevelDebug   Level = slog.LevelDebug
	LevelInfo    Level = slog.LevelInfo
	LevelWarning Level = slog.LevelWarn
	LevelError   Level = slog.LevelError
)

// Extra is a set of extra fields for one log call, the counterpart of
// Python's extra= dict. Pass it among a call's args; its keys are emitted
// in sorted order and override enrichment of the same name.
type Extra = logattr.Extra

// LoggerInterface is what a logger must implement to receive a durable
// function's log lines: the five levels of the Python SDK's logger
// protocol, Debug, Info, Warning, Error and Exception (see logsink.Logger
// for what each receives).
//
// Adapters for zap, zerolog, logrus and log/slog live in their own modules;
// a logger of your own needs only these five methods. Optional extensions
// that make it faster (Enabled, With, LogAttrs, Emit) are in package
// logsink. A LoggerInterface knows nothing about replay: the context logger
// returned by Context.Logger decides whether a line is printed before it
// calls it.
type LoggerInterface = logsink.Logger
