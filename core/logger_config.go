package durable

import (
	"log/slog"
	"os"
	"reflect"
	"sync"

	"github.com/durable-go/durable-go/core/logsink"
)

// logConfig holds the handler-wide logging settings.
type logConfig struct {
	env    lambdaEnv       // read once per cold start
	logger LoggerInterface // WithLogger; nil means the default logger
	replay ReplayMode
	names  FieldNames
	level  slog.Leveler // WithLogLevel; nil means AWS_LAMBDA_LOG_LEVEL
	dflt   func() LoggerInterface

	sdkLevels  map[string]slog.Level // WithSDKLogLevel, by full area name
	sdkHandler slog.Handler          // WithSDKLogHandler; nil means stderr JSON
	sdk        *sdkLoggersOnce       // built on first use, after the options ran
}

// init sets the defaults, before any Option runs.
func (c *logConfig) init() { c.initFrom(coldStartEnv()) }

func (c *logConfig) initFrom(env lambdaEnv) {
	*c = logConfig{env: env, sdk: new(sdkLoggersOnce)}
}

// baseLogger returns the logger set with WithLogger, or the default logger
// (at the WithLogLevel level, when set).
func (c *logConfig) baseLogger() LoggerInterface {
	switch {
	case c.logger != nil:
		return c.logger
	case c.level == nil:
		return defaultLogger()
	case c.dflt == nil: // a logConfig built without WithLogLevel
		return logsink.NewSlogLogger(newLambdaHandler(os.Stdout, c.env, c.level))
	}
	return c.dflt()
}

// ReplayMode says what a context logger does with a line logged while its
// context replays work that completed in an earlier invocation.
type ReplayMode int

const (
	// ReplayDrop drops replayed lines, so each line prints once across
	// invocations. It is the default.
	ReplayDrop ReplayMode = iota
	// ReplayDebug emits replayed lines at debug level with replay=true,
	// for tracing how an execution replays.
	ReplayDebug
	// ReplayKeep emits replayed lines as they are, as a logger used
	// without durable-go would.
	ReplayKeep
)

// FieldNames chooses the keys of the fields core adds to every line.
type FieldNames int

const (
	// CamelCase names the fields as the other durable SDKs do, so
	// CloudWatch queries match across languages: executionArn, requestId,
	// tenantId, parentId, operationId, operationName, attempt. It is the
	// default.
	CamelCase FieldNames = iota
	// SnakeCase names them execution_arn, request_id, tenant_id,
	// parent_id, operation_id, name, attempt.
	SnakeCase
)

// WithLogger makes l the logger of every context of the handler, unless a
// context sets its own with Context.SetLogger. A nil l, or a nil pointer
// of a logger type, keeps the default.
// Adapters for zap, zerolog, logrus and log/slog (any slog.Handler) live
// in their own modules under adapters/.
//
// The default logger writes Lambda's shape to stdout through log/slog: one
// JSON object per line with timestamp (RFC 3339 in UTC with milliseconds,
// as Lambda's own lines), level (DEBUG, INFO, WARN, ERROR) and message
// when AWS_LAMBDA_LOG_FORMAT is JSON, readable text with the same keys
// otherwise, at the level of WithLogLevel, else AWS_LAMBDA_LOG_LEVEL, else
// INFO. It uses aws-lambda-go's lambdacontext.ReplaceAttr for the keys but
// not lambdacontext's handler, which matches the format name
// case-sensitively, reads TRACE and FATAL as INFO, and would add a second
// requestId (the enrichment carries one). Fields of the caller's named
// "time" or "msg" keep their names. It is a logsink.SlogLogger, the
// implementation the slog adapter shares.
func WithLogger(l LoggerInterface) Option {
	if isNilLogger(l) {
		l = nil
	}
	return func(c *config) { c.logging.logger = l }
}

// isNilLogger reports whether l is nil or holds a nil pointer (a
// *zapadapter.Logger never set, say), whose methods would panic on the
// first line.
func isNilLogger(l LoggerInterface) bool {
	if l == nil {
		return true
	}
	v := reflect.ValueOf(l)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// WithLogLevel sets the level below which context loggers drop lines,
// overriding AWS_LAMBDA_LOG_LEVEL, for programs and tests that set the
// level in code. level is read at every call, so an *slog.LevelVar can
// change it while the function runs. Without it, core applies
// AWS_LAMBDA_LOG_LEVEL when Lambda sets it (JSON log format) and no level
// of its own otherwise: the logger's own level decides. The default
// logger also writes at this level.
func WithLogLevel(level slog.Leveler) Option {
	return func(c *config) {
		c.logging.level = level
		if level == nil {
			c.logging.dflt = nil
			return
		}
		env := c.logging.env
		c.logging.dflt = sync.OnceValue(func() LoggerInterface {
			return logsink.NewSlogLogger(newLambdaHandler(os.Stdout, env, level))
		})
	}
}

// WithReplayLogs sets what context loggers do with lines logged during
// replay (default ReplayDrop).
func WithReplayLogs(mode ReplayMode) Option {
	return func(c *config) { c.logging.replay = mode }
}

// WithFieldNames sets the keys of the fields core adds to every line
// (default CamelCase).
func WithFieldNames(names FieldNames) Option {
	return func(c *config) { c.logging.names = names }
}

// WithSDKLogLevel sets the level of one area of the SDK's own logs, named
// with or without its "durable." prefix ("checkpoint" or
// "durable.checkpoint"); "durable" sets every area without a level of its
// own. The DURABLE_LOG_LEVEL environment variable overrides it for the
// areas it names, so operators can turn on debugging without a deploy.
func WithSDKLogLevel(area string, level slog.Level) Option {
	return func(c *config) {
		if c.logging.sdkLevels == nil {
			c.logging.sdkLevels = make(map[string]slog.Level)
		}
		c.logging.sdkLevels[fullAreaName(area)] = level
	}
}

// WithSDKLogHandler sends the SDK's own logs to h instead of stderr. The
// per-area levels still apply before h sees a record.
func WithSDKLogHandler(h slog.Handler) Option {
	return func(c *config) { c.logging.sdkHandler = h }
}

// sdkLoggersOnce builds a handler's SDK loggers once, on first use, when
// every Option has run.
type sdkLoggersOnce struct {
	once sync.Once
	set  *sdkLoggers
}

// sdkLog returns the logger of an area of the SDK's own logs, honouring
// WithSDKLogLevel and WithSDKLogHandler.
func (c *logConfig) sdkLog(a sdkArea) *slog.Logger {
	if c.sdk == nil { // a logConfig that skipped init
		return sdkLog(a)
	}
	c.sdk.once.Do(func() { c.sdk.set = newSDKLoggers(c.env, c.sdkLevels, c.sdkHandler) })
	return c.sdk.set.get(a)
}
