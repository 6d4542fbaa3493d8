package durable

import (
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/durable-go/durable-go/core/logsink"
)

// lambdaEnv is the logging environment of the function: Lambda's Advanced
// Logging Controls and DURABLE_LOG_LEVEL.
type lambdaEnv struct {
	// level is AWS_LAMBDA_LOG_LEVEL, INFO when unset. When set
	// (levelSet), lines below it are dropped for every logger, adapter or
	// custom, because Lambda filters only JSON lines that carry a level it
	// understands; unset, the logger's own level decides.
	level    slog.Level
	levelSet bool
	// json is AWS_LAMBDA_LOG_FORMAT=JSON (any case); Text otherwise.
	json bool
	// sdkLevels is DURABLE_LOG_LEVEL, unparsed.
	sdkLevels string
}

// coldStartEnv reads the environment once per cold start: Lambda sets it
// before the process starts and never changes it.
var coldStartEnv = sync.OnceValue(func() lambdaEnv { return readLambdaEnv(os.Getenv) })

// readLambdaEnv reads the logging environment through getenv. Tests call it
// after t.Setenv instead of relying on the cold-start cache.
func readLambdaEnv(getenv func(string) string) lambdaEnv {
	env := lambdaEnv{
		level:     slog.LevelInfo,
		json:      strings.EqualFold(strings.TrimSpace(getenv("AWS_LAMBDA_LOG_FORMAT")), "json"),
		sdkLevels: getenv("DURABLE_LOG_LEVEL"),
	}
	if l, ok := parseLevel(getenv("AWS_LAMBDA_LOG_LEVEL")); ok {
		env.level, env.levelSet = l, true
	}
	return env
}

// parseLevel reads a level name as Lambda and Python spell them, in any
// case: TRACE and DEBUG are debug, WARNING is WARN, CRITICAL is FATAL.
func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "TRACE", "DEBUG":
		return slog.LevelDebug, true
	case "INFO":
		return slog.LevelInfo, true
	case "WARN", "WARNING":
		return slog.LevelWarn, true
	case "ERROR":
		return slog.LevelError, true
	case "FATAL", "CRITICAL":
		return logsink.LevelFatal, true
	}
	return slog.LevelInfo, false
}
