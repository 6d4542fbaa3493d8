package zapadapter

import (
	"log/slog"
	"time"

	"github.com/durable-go/durable-go/core/logsink"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// LambdaEncoderConfig returns a zap encoder configuration for Lambda's JSON
// log format, the shape Advanced Logging Controls filter on: "timestamp"
// (RFC 3339 in UTC with milliseconds), "level" (DEBUG, INFO, WARN, ERROR;
// zap's DPanic counts as ERROR, Panic and Fatal as FATAL) and "message".
// The logger name goes under "logger", a caller added with zap.AddCaller
// under "caller", a stack added with zap.AddStacktrace under "stackTrace",
// and durations are written as strings such as "1.5s". Time fields use the
// timestamp's format.
//
// Use it with zapcore.NewJSONEncoder, or start from it and change what you
// need, with UniqueKeys for the result; NewLambdaLogger builds a whole
// logger from it.
func LambdaEncoderConfig() zapcore.EncoderConfig {
	return zapcore.EncoderConfig{
		TimeKey:        "timestamp",
		LevelKey:       "level",
		NameKey:        "logger",
		CallerKey:      "caller",
		FunctionKey:    zapcore.OmitKey,
		MessageKey:     "message",
		StacktraceKey:  keyStackTrace,
		LineEnding:     zapcore.DefaultLineEnding,
		EncodeLevel:    LambdaLevelEncoder,
		EncodeTime:     LambdaTimeEncoder,
		EncodeDuration: zapcore.StringDurationEncoder,
		EncodeCaller:   zapcore.ShortCallerEncoder,
		EncodeName:     zapcore.FullNameEncoder,
	}
}

// NewLambdaLogger returns a zap logger that writes one JSON object per line
// to w in Lambda's shape (see LambdaEncoderConfig), for levels level
// enables. opts are applied as by zap.New.
//
// Pass zapcore.Lock(os.Stdout) as w in a Lambda function. Core already
// drops lines below AWS_LAMBDA_LOG_LEVEL, so level may stay at debug.
//
// The logger has UniqueKeys(LambdaEncoderConfig()): a top-level field
// named like a key the encoder writes itself ("timestamp", "level",
// "message", "logger", "caller", "stackTrace") is written as
// "fields.<key>", "fields.caller" for example, as the logrus adapter's
// LambdaFormatter writes it. A second "level" key would be the one JSON
// readers keep, so Lambda would filter the line by the field's value, and
// a second "caller" would hide zap's.
func NewLambdaLogger(w zapcore.WriteSyncer, level zapcore.LevelEnabler, opts ...zap.Option) *zap.Logger {
	enc := zapcore.NewJSONEncoder(lambdaConfig)
	return zap.New(zapcore.NewCore(enc, w, level), append([]zap.Option{lambdaUniqueKeys}, opts...)...)
}

// lambdaConfig is the encoder configuration of NewLambdaLogger's lines,
// and lambdaUniqueKeys the UniqueKeys option for its keys.
var (
	lambdaConfig     = LambdaEncoderConfig()
	lambdaUniqueKeys = UniqueKeys(lambdaConfig)
)

// LambdaLevelEncoder writes a zap level as the level name Lambda
// recognises (logsink.LambdaLevelName): DEBUG, INFO, WARN, ERROR (DPanic
// included) or FATAL (Panic and Fatal).
func LambdaLevelEncoder(l zapcore.Level, enc zapcore.PrimitiveArrayEncoder) {
	enc.AppendString(logsink.LambdaLevelName(slogLevel(l)))
}

// slogLevel maps a zap level to the durable (slog) level Lambda's name
// for it belongs to.
func slogLevel(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	case l <= zapcore.DPanicLevel:
		return slog.LevelError
	default:
		return logsink.LevelFatal
	}
}

// LambdaTimeEncoder writes t in UTC as RFC 3339 with milliseconds
// (logsink.LambdaTimeLayout), for example 2026-01-02T15:04:05.000Z.
func LambdaTimeEncoder(t time.Time, enc zapcore.PrimitiveArrayEncoder) {
	t = t.UTC()
	// zap's JSON encoder formats into its own buffer without allocating.
	if e, ok := enc.(interface{ AppendTimeLayout(time.Time, string) }); ok {
		e.AppendTimeLayout(t, logsink.LambdaTimeLayout)
		return
	}
	enc.AppendString(string(logsink.AppendLambdaTime(nil, t)))
}
