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
// need; NewLambdaLogger builds a whole logger from it.
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
// A top-level field named like a key the encoder writes itself
// ("timestamp", "level", "message", "logger", "caller", "stackTrace") is
// written as "fields.<key>", "fields.caller" for example, as the logrus
// adapter's LambdaFormatter writes it, whether or not the line has a
// logger name, caller or stack: a second "level" key would be the one
// JSON readers keep, so Lambda would filter the line by the field's value,
// and a second "caller" would hide zap's. Exception's own stackTrace (the
// error's stack) keeps its key.
func NewLambdaLogger(w zapcore.WriteSyncer, level zapcore.LevelEnabler, opts ...zap.Option) *zap.Logger {
	enc := zapcore.NewJSONEncoder(lambdaConfig)
	return zap.New(&lambdaCore{Core: zapcore.NewCore(enc, w, level), keys: lambdaKeys}, opts...)
}

// lambdaConfig is the encoder configuration of NewLambdaLogger's lines,
// and lambdaKeys the keys its encoder writes itself.
var (
	lambdaConfig = LambdaEncoderConfig()
	lambdaKeys   = newEntryKeys(lambdaConfig)
)

// entryKeys are the top-level keys an encoder configuration writes
// itself, for the entry (time, level, logger name, caller, function,
// message, stack), each with the key a field of that name is written under
// instead: "fields.<key>", as logsink.LambdaFieldKey names the Lambda
// shape's own three.
type entryKeys struct {
	lens    uint64 // bit min(len(key), 63) set for each key
	own     []string
	renamed []string
}

func newEntryKeys(cfg zapcore.EncoderConfig) *entryKeys {
	k := &entryKeys{}
	for _, key := range []string{cfg.TimeKey, cfg.LevelKey, cfg.NameKey, cfg.CallerKey, cfg.FunctionKey, cfg.MessageKey, cfg.StacktraceKey} {
		if key == zapcore.OmitKey {
			continue
		}
		k.lens |= lenBit(key)
		k.own = append(k.own, key)
		k.renamed = append(k.renamed, "fields."+key)
	}
	return k
}

// lenBit is the bit of entryKeys.lens for key's length.
func lenBit(key string) uint64 { return 1 << min(len(key), 63) }

// field returns the key a field named key is written under.
func (k *entryKeys) field(key string) string {
	if k.lens&lenBit(key) == 0 {
		return key // the common case: no entry key is as long
	}
	for i, own := range k.own {
		if key == own {
			return k.renamed[i]
		}
	}
	return key
}

// lambdaCore renames the top-level fields whose keys are the entry keys
// of its encoder, so that a line holds each key once. It is used by
// pointer: Check adds it to every line's CheckedEntry, and a struct value
// would be copied to the heap each time.
type lambdaCore struct {
	zapcore.Core
	keys   *entryKeys
	nested bool // a zap.Namespace was bound: later fields are not top level
}

func (c *lambdaCore) With(fields []zapcore.Field) zapcore.Core {
	nested := c.nested
	if !nested {
		fields, nested = c.keys.renameClashes(fields)
	}
	return &lambdaCore{Core: c.Core.With(fields), keys: c.keys, nested: nested}
}

func (c *lambdaCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *lambdaCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	if !c.nested {
		fields, _ = c.keys.renameClashes(fields)
	}
	return c.Core.Write(e, fields)
}

// renameClashes returns fields with the top-level keys that are entry
// keys renamed (Exception's error stack excepted), copying fields only
// when one needs it, and whether a zap.Namespace among them nests the
// fields after it.
func (k *entryKeys) renameClashes(fields []zapcore.Field) ([]zapcore.Field, bool) {
	copied := false
	for i, f := range fields {
		if f.Type == zapcore.NamespaceType {
			return fields, true
		}
		if key := k.field(f.Key); key != f.Key && !isErrorStack(f) {
			if !copied {
				fields, copied = append([]zapcore.Field(nil), fields...), true
			}
			fields[i].Key = key
		}
	}
	return fields, false
}

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
