package slogadapter

import (
	"io"
	"log/slog"

	"github.com/durable-go/durable-go/core/logsink"
)

// Keys and level names of Lambda's JSON log format, which Advanced Logging
// Controls read to filter lines by level.
const (
	lambdaTimeKey    = "timestamp"
	lambdaMessageKey = "message"
)

// LambdaHandlerOptions returns handler options that give slog's built-in
// fields Lambda's JSON shape: "timestamp" (RFC 3339, UTC, milliseconds),
// "level" (DEBUG, INFO, WARN or ERROR; a level between two of them takes
// the lower name, one below DEBUG is DEBUG) and "message". Lines below
// level are dropped; a nil level means INFO.
//
// Use them with slog.NewJSONHandler or slog.NewTextHandler, or start from
// them to add a ReplaceAttr of your own (call the one returned here from
// yours). Attributes of your own keep their keys and values, even one
// named "time" or "msg"; a top-level one named "timestamp", "level" or
// "message" is written as "fields.timestamp", "fields.level" or
// "fields.message", as the other adapters' Lambda helpers write it, so
// that each line holds Lambda's keys once (JSON readers keep the last of
// two "level" keys, and Lambda would filter the line by the attribute);
// one named "source" is written as "fields.source", with AddSource or
// without, so that it never shares slog.SourceKey with the source
// AddSource writes.
//
// When the function's log settings should come from the Lambda runtime
// (AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL), aws-lambda-go's
// lambdacontext.NewLogHandler is the alternative.
func LambdaHandlerOptions(level slog.Leveler) *slog.HandlerOptions {
	return &slog.HandlerOptions{Level: level, ReplaceAttr: lambdaReplaceAttr}
}

// NewLambdaHandler returns a JSON handler that writes one Lambda-shaped
// object per line to w, dropping lines below level (nil means INFO).
//
//	logger := slogadapter.New(slog.New(slogadapter.NewLambdaHandler(os.Stdout, slog.LevelInfo)))
func NewLambdaHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewJSONHandler(w, LambdaHandlerOptions(level))
}

// lambdaFieldKey is the key of a top-level attribute of the caller's named
// key: "fields."+key for the keys the handler writes itself, Lambda's
// shape's (logsink.LambdaFieldKey) and slog's source, key for any other.
// An attribute named "source" is renamed with or without AddSource, which
// ReplaceAttr cannot see, so that it has one key whatever the options.
func lambdaFieldKey(key string) string {
	if key == slog.SourceKey {
		return sourceFieldKey
	}
	return logsink.LambdaFieldKey(key)
}

// sourceFieldKey is the key of a top-level attribute named slog.SourceKey.
const sourceFieldKey = "fields." + slog.SourceKey

// lambdaReplaceAttr renames and reformats slog's built-in fields.
//
// slog's handlers call ReplaceAttr for the built-in fields with a nil
// groups slice and for every other attribute, top-level ones included, with
// a non-nil one; that is what tells a caller's "time", "level" or "msg"
// attribute, left alone, from the built-in field of the same key. The
// tests pin this down, so a change in slog shows up as a failure.
func lambdaReplaceAttr(groups []string, a slog.Attr) slog.Attr {
	if groups != nil {
		if len(groups) == 0 {
			a.Key = lambdaFieldKey(a.Key)
		}
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		if a.Value.Kind() == slog.KindTime {
			var buf [len(logsink.LambdaTimeLayout)]byte
			return slog.String(lambdaTimeKey, string(logsink.AppendLambdaTime(buf[:0], a.Value.Time())))
		}
	case slog.LevelKey:
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(slog.LevelKey, logsink.LambdaLevelName(l))
		}
	case slog.MessageKey:
		a.Key = lambdaMessageKey
	}
	return a
}
