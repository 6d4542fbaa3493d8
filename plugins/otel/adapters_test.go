package durableotel_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
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
	"github.com/durable-go/durable-go/core/durabletest"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// lockedBuffer is a log writer safe for concurrent lines (map items log
// from several goroutines).
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines decodes the JSON lines written so far.
func (l *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, line)
	}
	return out
}

// adapters are the four adapters, each over its library's JSON output.
var adapters = []struct {
	name string
	new  func(w io.Writer) durable.LoggerInterface
}{
	{"slog", func(w io.Writer) durable.LoggerInterface {
		return slogadapter.New(slog.New(slog.NewJSONHandler(w, nil)))
	}},
	{"zap", func(w io.Writer) durable.LoggerInterface {
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		return zapadapter.New(zap.New(zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.DebugLevel)))
	}},
	{"zerolog", func(w io.Writer) durable.LoggerInterface { return zerologadapter.New(zerolog.New(w)) }},
	{"logrus", func(w io.Writer) durable.LoggerInterface {
		l := logrus.New()
		l.SetOutput(w)
		l.SetFormatter(&logrus.JSONFormatter{})
		return logrusadapter.New(l)
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
			var out lockedBuffer
			var callbackID string
			fn := durable.Handler(workflow(&callbackID), durable.WithPlugins(durableotel.New(
				durableotel.WithTracerProvider(tel.tp), durableotel.WithMeterProvider(tel.mp))),
				durable.WithLogger(a.new(&out)))
			ctx := context.Background()
			exec, err := durabletest.NewRunner(fn).Run(ctx, order{ID: "42"})
			if !errors.Is(err, durabletest.ErrBlocked) || callbackID == "" {
				t.Fatalf("run: %v, want blocked on the callback", err)
			}
			if err := exec.SendCallbackSuccess(ctx, callbackID, []byte(`"approved"`)); err != nil {
				t.Fatal(err)
			}
			if err := exec.RunToCompletion(ctx); err != nil || exec.Status() != "SUCCEEDED" {
				t.Fatalf("run: %v, status %s", err, exec.Status())
			}
			checkLogSpans(t, tel.spans.GetSpans(), out.lines(t))
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
