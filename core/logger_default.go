package durable

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/core/logsink"
)

// NewSlogLogger returns a LoggerInterface that writes through h, a
// log/slog handler. It implements logsink.Emitter (records reach h.Handle with the
// invocation's or step's context.Context and, for AddSource, the user's
// call site as their PC), logsink.LevelEnabler (h's Enabled),
// logsink.Binder (h's WithAttrs, so enrichment is formatted once per
// context) and logsink.AttrLogger.
// Warning logs at slog.LevelWarn, which slog names "WARN" as Lambda does.
// A nil h means the handler of slog.Default().
//
// The default logger, used when none is set, is NewSlogLogger over a
// handler writing Lambda's shape to stdout: one JSON object per line with
// timestamp (RFC 3339 in UTC with milliseconds, as Lambda's own lines),
// level (DEBUG, INFO, WARN, ERROR) and message when AWS_LAMBDA_LOG_FORMAT
// is JSON, readable text with the same keys otherwise, at the level of
// WithLogLevel, else AWS_LAMBDA_LOG_LEVEL, else INFO. Records carry their
// time in UTC whatever the handler. It uses aws-lambda-go's
// lambdacontext.ReplaceAttr for the keys but not lambdacontext's handler,
// which matches the format name case-sensitively, reads TRACE and FATAL as
// INFO, and would add a second requestId (the enrichment carries one).
// A top-level field named "msg" is renamed "message" by that mapping;
// one named "time" keeps its name.
func NewSlogLogger(h slog.Handler) LoggerInterface {
	if h == nil {
		h = slog.Default().Handler()
	}
	return newSlogLogger(h)
}

// slogLogger is the LoggerInterface over a slog.Handler. It is an
// Emitter, and reports callers: slog handlers read Record.PC for
// AddSource.
type slogLogger struct {
	logsink.EmitterMethods
	h slog.Handler
}

func newSlogLogger(h slog.Handler) *slogLogger {
	l := &slogLogger{h: h}
	l.EmitterMethods = logsink.NewEmitterMethods(l)
	return l
}

func (l *slogLogger) Enabled(level slog.Level) bool { return l.h.Enabled(context.Background(), level) }

func (l *slogLogger) ReportsCaller() bool { return true }

func (l *slogLogger) With(args ...any) logsink.Logger {
	attrs := logsink.ArgsToAttrs(args...)
	if len(attrs) == 0 {
		return l
	}
	return newSlogLogger(l.h.WithAttrs(attrs))
}

// Emit hands r to the handler as a slog.Record with ctx, the record time
// in UTC.
func (l *slogLogger) Emit(ctx context.Context, r logsink.Record) {
	if !l.h.Enabled(ctx, r.Level) {
		return
	}
	rec := slog.NewRecord(recordTime(), r.Level, r.Message, r.PC)
	for a := range r.Attrs {
		rec.AddAttrs(a)
	}
	_ = l.h.Handle(ctx, rec)
}

// lambdaZone is UTC, under a pointer of our own: records stamped by our
// code carry it, which is how lambdaReplaceAttr tells slog's built-in time
// from a user's top-level attribute also named "time".
var lambdaZone = time.FixedZone("UTC", 0)

func recordTime() time.Time { return time.Now().In(lambdaZone) }

// stamp is a formatted Lambda timestamp and its millisecond.
type stamp struct {
	ms int64
	s  string
}

// lastStamp caches the latest timestamp: lines logged within the same
// millisecond share its string instead of allocating one each.
var lastStamp atomic.Pointer[stamp]

func lambdaStamp(t time.Time) string {
	ms := t.UnixMilli()
	if p := lastStamp.Load(); p != nil && p.ms == ms {
		return p.s
	}
	var buf [len(logsink.LambdaTimeLayout)]byte
	st := &stamp{ms: ms, s: string(logsink.AppendLambdaTime(buf[:0], t))}
	lastStamp.Store(st)
	return st.s
}

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
			return slog.String("timestamp", lambdaStamp(a.Value.Time()))
		}
		return a
	case slog.LevelKey:
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(slog.LevelKey, logsink.LambdaLevelName(l))
		}
		return a
	}
	return lambdacontext.ReplaceAttr(groups, a)
}

// newLambdaHandler returns the handler of the default logger: Lambda's
// JSON shape, or text, on w, at level (nil: the Advanced Logging Controls
// level, INFO when Lambda sets none).
func newLambdaHandler(w io.Writer, env lambdaEnv, level slog.Leveler) slog.Handler {
	if level == nil {
		level = env.level
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: lambdaReplaceAttr}
	if env.json {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// defaultLogger is the logger of handlers without WithLogger, built once
// per cold start.
var defaultLogger = sync.OnceValue(func() LoggerInterface {
	return NewSlogLogger(newLambdaHandler(os.Stdout, coldStartEnv(), nil))
})
