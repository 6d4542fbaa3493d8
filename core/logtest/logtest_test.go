package logtest_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
	"github.com/durable-go/durable-go/core/logtest"
)

// TestRunNewSlogLogger runs the suite against logsink.SlogLogger
// over slog's JSON handler, shaped for Lambda by the handler below.
func TestRunNewSlogLogger(t *testing.T) {
	handler := func(w io.Writer, source bool) slog.Handler {
		return lambdaShape{slog.NewJSONHandler(w, &slog.HandlerOptions{
			Level:       slog.LevelDebug,
			ReplaceAttr: renameMessage,
			AddSource:   source,
		})}
	}
	logtest.Run(t, func(w io.Writer) durable.LoggerInterface {
		return logsink.NewSlogLogger(handler(w, false))
	}, logtest.Plain(func(w io.Writer) durable.LoggerInterface {
		return logtest.PlainSlog(slog.New(handler(w, false)))
	}), logtest.Source("source", func(w io.Writer) durable.LoggerInterface {
		return logsink.NewSlogLogger(handler(w, true))
	}))
}

// lambdaShape moves a record's time into a "timestamp" attribute, so a
// user attribute named "time" keeps its name: ReplaceAttr alone cannot
// tell the two apart. (It does not support WithGroup, which
// logsink.SlogLogger never calls.)
type lambdaShape struct{ slog.Handler }

func (h lambdaShape) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(time.Time{}, r.Level, r.Message, r.PC)
	out.AddAttrs(slog.String("timestamp", string(logsink.AppendLambdaTime(nil, r.Time))))
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(shapeKeyed(a))
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h lambdaShape) WithAttrs(attrs []slog.Attr) slog.Handler {
	keyed := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		keyed[i] = shapeKeyed(a)
	}
	return lambdaShape{h.Handler.WithAttrs(keyed)}
}

// shapeKeyed writes a user attribute named like one of the line's own
// keys as fields.<key>, so that the line holds each key once.
func shapeKeyed(a slog.Attr) slog.Attr {
	a.Key = logsink.LambdaFieldKey(a.Key)
	return a
}

// renameMessage renames slog's built-in message, for which slog passes a
// nil groups (a user attribute named "msg" gets a non-nil one).
func renameMessage(groups []string, a slog.Attr) slog.Attr {
	if groups == nil && a.Key == slog.MessageKey {
		a.Key = "message"
	}
	return a
}
