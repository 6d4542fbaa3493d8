package logtest

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"

	durable "github.com/durable-go/durable-go/core"
)

// runSlogtest, as subtest name, checks the context logger's slog view
// over a logger from newLogger with testing/slogtest, the standard library's conformance
// test for slog.Handler implementations: attributes, WithAttrs, WithGroup,
// inline and empty groups, LogValuer resolution, as a library that takes a
// *slog.Logger expects them.
//
// One rule of slog's is waived, with the reason: a Handler should leave
// out the time of a Record whose Time is zero. The view's lines are
// written by the team's logger, which stamps its own time, and a
// Lambda-shaped line always carries a timestamp; so in that one case the
// timestamp is not reported to slogtest. Every other check runs as
// slogtest defines it.
func runSlogtest(t *testing.T, name string, newLogger func(w io.Writer) durable.LoggerInterface) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		var w *syncBuffer
		slogtest.Run(t, func(t *testing.T) slog.Handler {
			w = new(syncBuffer)
			l := newLogger(w)
			if l == nil {
				t.Fatal("newLogger returned a nil LoggerInterface")
			}
			return NewLogger(l, nil, durable.WithLogLevel(slog.LevelDebug)).Slog().Handler()
		}, func(t *testing.T) map[string]any {
			t.Helper()
			o := newOutput(t, w.String())
			if len(o.lines) != 1 {
				t.Fatalf("the record gave %d lines, want 1:\n%s", len(o.lines), o.raw)
			}
			fields := o.lines[0].fields
			// slog's names for the line's built-in keys.
			fields[slog.TimeKey], fields[slog.MessageKey] = fields["timestamp"], fields["message"]
			delete(fields, "timestamp")
			delete(fields, "message")
			if strings.HasSuffix(t.Name(), "/zero-time") {
				delete(fields, slog.TimeKey) // the waived rule, see above
			}
			return fields
		})
	})
}
