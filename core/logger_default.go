package durable

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/durable-go/durable-go/core/logsink"
)

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
// the lower name, which Lambda's level filter understands), message. The
// caller's own fields keep their keys, "time" and "msg" included, but for
// top-level ones named like the line's own keys, which become
// fields.<key>: a second "level" would be the one Lambda's filter reads.
func lambdaReplaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	if groups != nil { // slog passes a nil groups only for its built-in fields
		if k := logsink.LambdaFieldKey(a.Key); k != a.Key {
			a.Key = k
			return a
		}
	}
	switch a.Key {
	case slog.TimeKey:
		// slog's handlers pass a nil groups for their built-in fields and a
		// non-nil one for the caller's attributes, top-level ones included:
		// a field of the caller's named "time" keeps its name.
		if groups == nil && a.Value.Kind() == slog.KindTime {
			return slog.String("timestamp", lambdaStamp(a.Value.Time()))
		}
		return a
	case slog.LevelKey:
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(slog.LevelKey, logsink.LambdaLevelName(l))
		}
		return a
	case slog.MessageKey:
		if groups != nil { // a field of the caller's named "msg" keeps its name too
			return a
		}
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
	return logsink.NewSlogLogger(newLambdaHandler(os.Stdout, coldStartEnv(), nil))
})
