package durableotel_test

import (
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	logrusadapter "github.com/durable-go/durable-go/adapters/logrus"
	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	zapadapter "github.com/durable-go/durable-go/adapters/zap"
	zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"
	durable "github.com/durable-go/durable-go/core"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// adapters are the four adapters, each over its library's JSON output;
// mark tells the library's lines apart.
var adapters = []struct {
	name string
	new  func(w io.Writer) durable.LoggerInterface
	mark func(line map[string]any) bool
}{
	{"slog", func(w io.Writer) durable.LoggerInterface {
		return slogadapter.New(slog.New(slog.NewJSONHandler(w, nil)))
	}, func(line map[string]any) bool { return line["level"] == "INFO" && line["msg"] != nil }},
	{"zap", func(w io.Writer) durable.LoggerInterface {
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		return zapadapter.New(zap.New(zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.DebugLevel)))
	}, func(line map[string]any) bool { return line["ts"] != nil && line["msg"] != nil }},
	{"zerolog", func(w io.Writer) durable.LoggerInterface { return zerologadapter.New(zerolog.New(w)) },
		func(line map[string]any) bool { return line["message"] != nil }},
	{"logrus", func(w io.Writer) durable.LoggerInterface {
		l := logrus.New()
		l.SetOutput(w)
		l.SetFormatter(&logrus.JSONFormatter{})
		return logrusadapter.New(l)
	}, func(line map[string]any) bool {
		return line["level"] == "info" && line["time"] != nil && line["msg"] != nil
	}},
}

// TestLogLinesCarryTheirSpanThroughEveryAdapter runs the workflow with
// each adapter and checks that every line user code logged through
// ctx.Logger() or sc.Logger() (the root context, steps, a child context,
// map items) carries the trace id and the span id of its scope's span, as
// exported.
func TestLogLinesCarryTheirSpanThroughEveryAdapter(t *testing.T) {
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			tel := newTelemetry(t)
			// The adapter's logger replaces the slog one of tel.options.
			runWorkflowWith(t, append(tel.options(), durable.WithLogger(a.new(tel)))...)
			lines := tel.lines(t)
			for _, line := range lines {
				if !a.mark(line) {
					t.Fatalf("line %v is not %s's", line, a.name)
				}
			}
			checkLogSpans(t, tel.spans.GetSpans(), lines)
		})
	}
}

// checkLogSpans checks the workflow's lines against the spans: each
// user line once, with the trace id and its scope's span id.
func checkLogSpans(t *testing.T, spans tracetest.SpanStubs, lines []map[string]any) {
	t.Helper()
	traceID := spans[0].SpanContext.TraceID().String()
	spanOf := func(pred func(tracetest.SpanStub) bool) string {
		t.Helper()
		for _, s := range spans {
			if pred(s) {
				return s.SpanContext.SpanID().String()
			}
		}
		t.Fatal("no such span")
		return ""
	}
	named := func(name string) func(tracetest.SpanStub) bool {
		return func(s tracetest.SpanStub) bool { return s.Name == name }
	}
	// The map items' steps share a name: tell them by their parent item.
	itemStep := func(item string) string {
		parent := spanOf(named("MapIteration " + item))
		return spanOf(func(s tracetest.SpanStub) bool {
			return s.Name == "Step double" && s.Parent.SpanID().String() == parent
		})
	}
	want := map[string]string{ // message and n -> span id
		"workflow started 0": spanOf(func(s tracetest.SpanStub) bool {
			return s.Name == "durable invocation" && attr(s, durableotel.KeyInvocationFirst).AsBool()
		}),
		"fetching 0": spanOf(named("Step fetch")),
		// A first attempt runs under its step's span; later attempts
		// under their own.
		"flaky attempt 1": spanOf(named("Step flaky")),
		"flaky attempt 2": spanOf(func(s tracetest.SpanStub) bool {
			return s.Name == "Step flaky attempt" && attr(s, durableotel.KeyAttempt).AsInt64() == 2
		}),
		"in child 0": spanOf(named("RunInChildContext child")),
		"in item 1":  spanOf(named("MapIteration map-item-0")),
		"in item 2":  spanOf(named("MapIteration map-item-1")),
		"in item 3":  spanOf(named("MapIteration map-item-2")),
		"doubling 1": itemStep("map-item-0"),
		"doubling 2": itemStep("map-item-1"),
		"doubling 3": itemStep("map-item-2"),
	}
	seen := map[string]int{}
	for _, line := range lines {
		msg, _ := line["msg"].(string)
		if msg == "" {
			msg, _ = line["message"].(string)
		}
		n, _ := line["n"].(float64)
		key := fmt.Sprintf("%s %v", msg, n)
		span, ok := want[key]
		if !ok {
			continue // the SDK's own lines
		}
		seen[key]++
		if line["traceId"] != traceID || line["spanId"] != span {
			t.Errorf("%q logged traceId %v spanId %v, want %s %s\nline: %v", key, line["traceId"], line["spanId"], traceID, span, line)
		}
	}
	for key := range want {
		if seen[key] != 1 {
			t.Errorf("%q printed %d times, want once", key, seen[key])
		}
	}
}
