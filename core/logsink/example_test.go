package logsink_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/logsink"
)

// lineLogger is a minimal adapter: it writes Emit and gets the five
// methods and LogAttrs from EmitterMethods.
type lineLogger struct {
	logsink.EmitterMethods
	b *strings.Builder
}

func newLineLogger(b *strings.Builder) *lineLogger {
	l := &lineLogger{b: b}
	l.EmitterMethods = logsink.NewEmitterMethods(l)
	return l
}

// Emit writes one line: Lambda's level name, the message, then the
// normalized attributes.
func (l *lineLogger) Emit(_ context.Context, r logsink.Record) {
	fmt.Fprintf(l.b, "%s %s", logsink.LambdaLevelName(r.Level), r.Message)
	for a := range r.Attrs {
		fmt.Fprintf(l.b, " %s=%v", a.Key, logsink.AttrValue(a.Value))
	}
	l.b.WriteByte('\n')
}

func ExampleNewEmitterMethods() {
	var b strings.Builder
	l := newLineLogger(&b)
	l.Info("reserved", "id", "order-1", "count", 2)
	l.Exception("charge failed", errors.New("card declined"))
	fmt.Print(b.String())
	// Output:
	// INFO reserved id=order-1 count=2
	// ERROR charge failed errorType=*errors.errorString errorMessage=card declined
}

// NewSlogLogger turns a log/slog handler into a logger, which is how the
// default logger and the slog adapter write their lines.
func ExampleNewSlogLogger() {
	h := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable for the example
			}
			return a
		},
	})
	log := logsink.NewSlogLogger(h)
	log.Info("reserved", "order_id", "o-1", durable.Extra{"items": 2})
	log.Exception("charge failed", errors.New("card declined"), "order_id", "o-1")
	// Output:
	// {"level":"INFO","msg":"reserved","order_id":"o-1","items":2}
	// {"level":"ERROR","msg":"charge failed","errorType":"*errors.errorString","errorMessage":"card declined","order_id":"o-1"}
}
