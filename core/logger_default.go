package durable

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// badKey is log/slog's key for a value without a key.
const badKey = "!BADKEY"

// NewSlogLogger returns a LoggerInterface that writes through h, a
// log/slog handler. It implements LevelEnabler (h's Enabled), Binder
// (h's WithAttrs, so enrichment is formatted once per context) and
// AttrLogger (slog.Attr values reach h as they are). Warning logs at
// slog.LevelWarn, which slog names "WARN" as Lambda does. Exception adds
// errorType, errorMessage and, for errors implementing StackTracer,
// stackTrace, ahead of the call's fields. A nil h means the handler of
// slog.Default().
//
// The default logger, used when none is set, is NewSlogLogger over a
// handler writing Lambda's shape to stdout: one JSON object per line with
// timestamp (RFC 3339 in UTC, to the nanosecond as aws-lambda-go's own
// handler writes it), level (DEBUG, INFO, WARN, ERROR) and message when
// AWS_LAMBDA_LOG_FORMAT is JSON, readable text with the same keys
// otherwise. Records carry their time in UTC whatever the handler. It uses aws-lambda-go's
// lambdacontext.ReplaceAttr for the keys but not lambdacontext's handler,
// which matches the format name case-sensitively, reads TRACE and FATAL as
// INFO, and would add a second requestId (the enrichment carries one).
// A top-level field named "msg" is renamed "message" by that mapping;
// one named "time" keeps its name.
func NewSlogLogger(h slog.Handler) LoggerInterface {
	if h == nil {
		h = slog.Default().Handler()
	}
	return &slogLogger{h: h}
}

// slogLogger is the LoggerInterface over a slog.Handler.
type slogLogger struct{ h slog.Handler }

func (l *slogLogger) Debug(msg string, args ...any)   { l.log(LevelDebug, msg, nil, args) }
func (l *slogLogger) Info(msg string, args ...any)    { l.log(LevelInfo, msg, nil, args) }
func (l *slogLogger) Warning(msg string, args ...any) { l.log(LevelWarning, msg, nil, args) }
func (l *slogLogger) Error(msg string, args ...any)   { l.log(LevelError, msg, nil, args) }

func (l *slogLogger) Exception(msg string, err error, args ...any) {
	l.log(LevelError, msg, err, args)
}

func (l *slogLogger) Enabled(level Level) bool { return l.h.Enabled(context.Background(), level) }

func (l *slogLogger) With(args ...any) LoggerInterface {
	attrs := argsToAttrs(args)
	if len(attrs) == 0 {
		return l
	}
	return &slogLogger{h: l.h.WithAttrs(attrs)}
}

func (l *slogLogger) LogAttrs(level Level, msg string, attrs ...slog.Attr) {
	ctx := context.Background()
	if !l.h.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(recordTime(), level, msg, 0)
	r.AddAttrs(attrs...)
	_ = l.h.Handle(ctx, r)
}

func (l *slogLogger) log(level Level, msg string, err error, args []any) {
	ctx := context.Background()
	if !l.h.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(recordTime(), level, msg, 0)
	if err != nil {
		addError(&r, err)
	}
	addArgs(&r, args)
	_ = l.h.Handle(ctx, r)
}

// addArgs adds args to r by log/slog's rules (Record.Add does the work),
// except that an Extra in key position adds its entries in sorted key
// order.
func addArgs(r *slog.Record, args []any) {
	for len(args) > 0 {
		i := extraIndex(args)
		r.Add(args[:i]...)
		if i == len(args) {
			return
		}
		addExtra(r, args[i].(Extra))
		args = args[i+1:]
	}
}

// extraIndex returns the index of the first Extra in key position, or
// len(args). It steps over pairs as slog does, so an Extra that is a
// pair's value stays a value.
func extraIndex(args []any) int {
	for i := 0; i < len(args); i++ {
		switch args[i].(type) {
		case Extra:
			return i
		case string:
			i++
		}
	}
	return len(args)
}

func addExtra(r *slog.Record, e Extra) {
	var buf [8]string // most Extras are small: sort on the stack
	keys := buf[:0]
	for k := range e {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.AddAttrs(slog.Any(k, e[k]))
	}
}

func addError(r *slog.Record, err error) {
	f := errorFields(err)
	r.Add(f...)
}

// argsToAttrs converts LoggerInterface args to attributes by the rules of
// addArgs.
func argsToAttrs(args []any) []slog.Attr {
	if len(args) == 0 {
		return nil
	}
	var r slog.Record
	addArgs(&r, args)
	attrs := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	return attrs
}

// lambdaZone is UTC, under a pointer of our own: records stamped by our
// code carry it, which is how lambdaReplaceAttr tells slog's built-in time
// from a user's top-level attribute also named "time".
var lambdaZone = time.FixedZone("UTC", 0)

func recordTime() time.Time { return time.Now().In(lambdaZone) }

// lambdaReplaceAttr gives slog's built-in fields Lambda's shape:
// timestamp, level names DEBUG/INFO/WARN/ERROR (a level between two takes
// the lower name, which Lambda's level filter understands), message.
func lambdaReplaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		if a.Value.Kind() == slog.KindTime && a.Value.Time().Location() == lambdaZone {
			a.Key = "timestamp"
		}
		return a
	case slog.LevelKey:
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(slog.LevelKey, LambdaLevelName(l))
		}
		return a
	}
	return lambdacontext.ReplaceAttr(groups, a)
}

// LambdaLevelName names l as Lambda's JSON log format and Advanced Logging
// Controls do: DEBUG, INFO, WARN or ERROR, a level between two named ones
// taking the lower name (slog would print "INFO+2", which Lambda reads as
// INFO whatever it is).
func LambdaLevelName(l Level) string {
	switch {
	case l < LevelInfo:
		return "DEBUG"
	case l < LevelWarning:
		return "INFO"
	case l < LevelError:
		return "WARN"
	}
	return "ERROR"
}

// newLambdaHandler returns the handler of the default logger: Lambda's
// JSON shape, or text, on w, at the Advanced Logging Controls level.
func newLambdaHandler(w io.Writer, env lambdaEnv) slog.Handler {
	opts := &slog.HandlerOptions{Level: env.level, ReplaceAttr: lambdaReplaceAttr}
	if env.json {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// defaultLogger is the logger of handlers without WithLogger, built once
// per cold start.
var defaultLogger = sync.OnceValue(func() LoggerInterface {
	return NewSlogLogger(newLambdaHandler(os.Stdout, coldStartEnv()))
})
