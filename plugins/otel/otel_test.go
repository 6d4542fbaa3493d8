package durableotel_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/logsink"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
)

// telemetry is an in-memory OTel SDK setup and a JSON log capture.
type telemetry struct {
	spans  *tracetest.InMemoryExporter
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
	mu     sync.Mutex
	logs   bytes.Buffer
}

func newTelemetry(t *testing.T) *telemetry {
	tel := &telemetry{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(
		sdktrace.WithIDGenerator(durableotel.NewIDGenerator(nil)),
		sdktrace.WithSyncer(tel.spans))
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		_ = tel.tp.Shutdown(context.Background())
		_ = tel.mp.Shutdown(context.Background())
	})
	return tel
}

func (tel *telemetry) Write(p []byte) (int, error) {
	tel.mu.Lock()
	defer tel.mu.Unlock()
	return tel.logs.Write(p)
}

// options registers the plugin and a JSON logger writing to tel.
func (tel *telemetry) options(opts ...durableotel.Option) []durable.Option {
	opts = append([]durableotel.Option{durableotel.WithTracerProvider(tel.tp), durableotel.WithMeterProvider(tel.mp)}, opts...)
	return []durable.Option{
		durable.WithPlugins(durableotel.New(opts...)),
		durable.WithLogger(logsink.NewSlogLogger(slog.NewJSONHandler(tel, nil))),
	}
}

// lines returns the captured JSON lines.
func (tel *telemetry) lines(t *testing.T) []map[string]any {
	t.Helper()
	tel.mu.Lock()
	defer tel.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(tel.logs.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, line)
	}
	return out
}

// jsonLogs returns the captured lines by message.
func (tel *telemetry) jsonLogs(t *testing.T) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, line := range tel.lines(t) {
		msg, _ := line["msg"].(string)
		out[msg] = append(out[msg], line)
	}
	return out
}

func attr(s tracetest.SpanStub, k attribute.Key) attribute.Value {
	for _, kv := range s.Attributes {
		if kv.Key == k {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// order is the workflow: steps (one retried once), a wait, a child with a
// step, a map of three items with a step each, and a callback.
type order struct{ ID string }

func workflow(submitted *string) func(*durable.Context, order) (string, error) {
	return func(ctx *durable.Context, o order) (string, error) {
		ctx.Logger().Info("workflow started", "order", o.ID)
		if _, err := durable.Step(ctx, "fetch", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Info("fetching")
			return 1, nil
		}); err != nil {
			return "", err
		}
		_, err := durable.Step(ctx, "flaky", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Info("flaky attempt", "n", sc.Attempt())
			if sc.Attempt() == 1 {
				return 0, errors.New("transient")
			}
			return 2, nil
		}, durable.WithRetryStrategy(func(_ error, attempt int) durable.RetryDecision {
			return durable.RetryDecision{ShouldRetry: attempt < 2, Delay: 3 * time.Second}
		}))
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", 5*time.Second); err != nil {
			return "", err
		}
		if _, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
			c.Logger().Info("in child")
			return durable.Step(c, "inner", func(*durable.StepContext) (int, error) { return 3, nil })
		}); err != nil {
			return "", err
		}
		res, err := durable.Map(ctx, "fan", []int{1, 2, 3}, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			c.Logger().Info("in item", "n", item)
			return durable.Step(c, "double", func(sc *durable.StepContext) (int, error) {
				sc.Logger().Info("doubling", "n", item)
				return item * 2, nil
			})
		})
		if err != nil || res.Err() != nil {
			return "", fmt.Errorf("map: %v %v", err, res.Err())
		}
		return durable.WaitForCallback[string](ctx, "approval", func(_ *durable.StepContext, id string) error {
			*submitted = id
			return nil
		})
	}
}

// runWorkflow runs the workflow to completion: four invocations (retry,
// wait, callback).
func runWorkflow(t *testing.T, tel *telemetry, opts ...durableotel.Option) *durabletest.Execution {
	t.Helper()
	return runWorkflowWith(t, tel.options(opts...)...)
}

// runWorkflowWith is runWorkflow with the handler's options.
func runWorkflowWith(t *testing.T, options ...durable.Option) *durabletest.Execution {
	t.Helper()
	var callbackID string
	return runWorkflowOn(t, durable.Handler(workflow(&callbackID), options...), &callbackID)
}

// runWorkflowOn is runWorkflow with h, a handler (or several) running the
// workflow that sets *callbackID.
func runWorkflowOn(t *testing.T, h durabletest.Handler, callbackID *string) *durabletest.Execution {
	t.Helper()
	ctx := context.Background()
	exec, err := durabletest.NewRunner(h).Run(ctx, order{ID: "42"})
	if !errors.Is(err, durabletest.ErrBlocked) {
		t.Fatalf("run: %v, want blocked on the callback", err)
	}
	if *callbackID == "" || exec.Status() != "RUNNING" {
		t.Fatalf("want the execution waiting for its callback, got %s %+v", exec.Status(), exec.Error())
	}
	if err := exec.SendCallbackSuccess(ctx, *callbackID, []byte(`"approved"`)); err != nil {
		t.Fatal(err)
	}
	if err := exec.RunToCompletion(ctx); err != nil {
		t.Fatal(err)
	}
	if exec.Status() != "SUCCEEDED" || len(exec.Invocations()) != 4 {
		t.Fatalf("status %s after %d invocations, want SUCCEEDED after 4: %+v", exec.Status(), len(exec.Invocations()), exec.Error())
	}
	return exec
}

func TestSpanTreeAcrossInvocations(t *testing.T) {
	tel := newTelemetry(t)
	exec := runWorkflow(t, tel)
	spans := tel.spans.GetSpans()

	// One trace, derived from the execution: start time, then ARN hash.
	traceID := spans[0].SpanContext.TraceID()
	start := exec.History()[0].EventTimestamp
	if got := time.Unix(int64(uint32(traceID[0])<<24|uint32(traceID[1])<<16|uint32(traceID[2])<<8|uint32(traceID[3])), 0); !got.Equal(start.Truncate(time.Second)) {
		t.Errorf("trace id %s starts with %v, want the execution start %v", traceID, got, start)
	}
	ids := map[trace.SpanID]tracetest.SpanStub{}
	for _, s := range spans {
		if s.SpanContext.TraceID() != traceID {
			t.Errorf("span %q is in trace %s, want %s", s.Name, s.SpanContext.TraceID(), traceID)
		}
		if _, dup := ids[s.SpanContext.SpanID()]; dup {
			t.Errorf("span id %s used twice (%q)", s.SpanContext.SpanID(), s.Name)
		}
		ids[s.SpanContext.SpanID()] = s
	}

	var execSpan tracetest.SpanStub
	var invocations []tracetest.SpanStub
	byOp := map[string]tracetest.SpanStub{}
	attempts := map[string][]tracetest.SpanStub{}
	for _, s := range spans {
		switch {
		case s.Name == "durable execution":
			if execSpan.Name != "" {
				t.Errorf("two execution spans")
			}
			execSpan = s
		case s.Name == "durable invocation":
			invocations = append(invocations, s)
		case strings.HasSuffix(s.Name, " attempt"):
			id := attr(s, durableotel.KeyOperationID).AsString()
			attempts[id] = append(attempts[id], s)
		default:
			id := attr(s, durableotel.KeyOperationID).AsString()
			if _, dup := byOp[id]; dup {
				t.Errorf("operation %s (%q) has two spans: replay duplicated it", id, s.Name)
			}
			byOp[id] = s
		}
	}
	if execSpan.Parent.IsValid() || execSpan.Status.Code == codes.Error {
		t.Errorf("execution span: parent %v status %v, want a root that succeeded", execSpan.Parent, execSpan.Status)
	}
	if !execSpan.StartTime.Equal(start) {
		t.Errorf("execution span starts %v, want the execution start %v", execSpan.StartTime, start)
	}
	if len(invocations) != 4 {
		t.Errorf("%d invocation spans, want 4", len(invocations))
	}
	for _, s := range invocations {
		if s.Parent.SpanID() != execSpan.SpanContext.SpanID() {
			t.Errorf("invocation span's parent %s, want the execution span %s", s.Parent.SpanID(), execSpan.SpanContext.SpanID())
		}
	}

	// Every operation has exactly one span, nested under its parent's and
	// covering START to end as recorded.
	ops := exec.Operations()
	checkOperationSpans(t, ops, byOp, execSpan)
	wait, _ := exec.FindOperation("pause")
	if d := byOp[wait.ID].EndTime.Sub(byOp[wait.ID].StartTime); d < 5*time.Second {
		t.Errorf("wait span lasts %v, want its 5s across invocations", d)
	}

	// The tree, by names.
	var tree []string
	var walk func(id trace.SpanID, depth int)
	children := map[trace.SpanID][]tracetest.SpanStub{}
	for _, s := range spans {
		children[s.Parent.SpanID()] = append(children[s.Parent.SpanID()], s)
	}
	mapOp, _ := exec.FindOperation("fan")
	started := map[string]int{} // operation id -> start order
	for i, op := range ops {
		started[op.ID] = i
	}
	walk = func(id trace.SpanID, depth int) {
		kids := children[id]
		sort.SliceStable(kids, func(i, j int) bool {
			if kids[i].Parent.SpanID() == byOp[mapOp.ID].SpanContext.SpanID() { // items start concurrently
				return kids[i].Name < kids[j].Name
			}
			a, b := attr(kids[i], durableotel.KeyOperationID).AsString(), attr(kids[j], durableotel.KeyOperationID).AsString()
			if a != b {
				return started[a] < started[b]
			}
			return attr(kids[i], durableotel.KeyAttempt).AsInt64() < attr(kids[j], durableotel.KeyAttempt).AsInt64()
		})
		for _, k := range kids {
			if k.Name == "durable invocation" {
				continue
			}
			tree = append(tree, strings.Repeat("  ", depth)+k.Name)
			walk(k.SpanContext.SpanID(), depth+1)
		}
	}
	tree = append(tree, execSpan.Name)
	walk(execSpan.SpanContext.SpanID(), 1)
	want := []string{
		// Steps that succeeded at their first attempt have no attempt
		// span; a retried step has one per attempt.
		"durable execution",
		"  Step fetch",
		"  Step flaky",
		"    Step flaky attempt",
		"    Step flaky attempt",
		"  Wait pause",
		"  RunInChildContext child",
		"    Step inner",
		"  Map fan",
		"    MapIteration map-item-0",
		"      Step double",
		"    MapIteration map-item-1",
		"      Step double",
		"    MapIteration map-item-2",
		"      Step double",
		"  WaitForCallback approval",
		"    Callback approval create callback id",
		"    Step approval submitter",
	}
	if strings.Join(tree, "\n") != strings.Join(want, "\n") {
		t.Errorf("span tree:\n%s\nwant:\n%s", strings.Join(tree, "\n"), strings.Join(want, "\n"))
	}

	// The retried step's attempts: outcome, retry delay, error status.
	flaky, _ := exec.FindOperation("flaky")
	fa := attempts[flaky.ID]
	sort.Slice(fa, func(i, j int) bool {
		return attr(fa[i], durableotel.KeyAttempt).AsInt64() < attr(fa[j], durableotel.KeyAttempt).AsInt64()
	})
	if len(fa) != 2 || attr(fa[0], durableotel.KeyAttempt).AsInt64() != 1 || attr(fa[1], durableotel.KeyAttempt).AsInt64() != 2 ||
		attr(fa[0], durableotel.KeyAttemptOutcome).AsString() != durableotel.OutcomeRetried ||
		attr(fa[0], durableotel.KeyRetryDelay).AsInt64() != 3 || fa[0].Status.Code != codes.Error ||
		attr(fa[1], durableotel.KeyAttemptOutcome).AsString() != durableotel.OutcomeSucceeded || fa[1].Status.Code == codes.Error {
		for _, a := range fa {
			t.Logf("attempt %v status %v", a.Attributes, a.Status)
		}
		t.Errorf("flaky's attempts: want attempt 1 retried after 3s with an error, attempt 2 succeeded")
	}
	if attr(byOp[flaky.ID], durableotel.KeyStepAttempts).AsInt64() != 2 || attr(byOp[flaky.ID], durableotel.KeyAttemptOutcome).Type() != attribute.INVALID {
		t.Errorf("flaky's span has %v attempts and outcome %v, want 2 and none (its attempt spans have them)",
			attr(byOp[flaky.ID], durableotel.KeyStepAttempts), attr(byOp[flaky.ID], durableotel.KeyAttemptOutcome))
	}
	// A step that succeeded at its first attempt: the operation span has
	// the attempt's attributes.
	fetch, _ := exec.FindOperation("fetch")
	if s := byOp[fetch.ID]; attr(s, durableotel.KeyStepAttempts).AsInt64() != 1 || attr(s, durableotel.KeyAttemptOutcome).AsString() != durableotel.OutcomeSucceeded {
		t.Errorf("fetch's span: attempts %v outcome %v, want 1 succeeded", attr(s, durableotel.KeyStepAttempts), attr(s, durableotel.KeyAttemptOutcome))
	}
}

func TestLogLinesCarryTheirSpan(t *testing.T) {
	tel := newTelemetry(t)
	exec := runWorkflow(t, tel)
	spans := tel.spans.GetSpans()
	traceID := spans[0].SpanContext.TraceID().String()

	spanOf := func(pred func(tracetest.SpanStub) bool) string {
		for _, s := range spans {
			if pred(s) {
				return s.SpanContext.SpanID().String()
			}
		}
		t.Fatal("no such span")
		return ""
	}
	firstInvocation := spanOf(func(s tracetest.SpanStub) bool {
		return s.Name == "durable invocation" && attr(s, durableotel.KeyInvocationFirst).AsBool()
	})
	flakyAttempt := func(n int64) string {
		return spanOf(func(s tracetest.SpanStub) bool {
			return s.Name == "Step flaky attempt" && attr(s, durableotel.KeyAttempt).AsInt64() == n
		})
	}
	child := spanOf(func(s tracetest.SpanStub) bool { return s.Name == "RunInChildContext child" })
	flaky := spanOf(func(s tracetest.SpanStub) bool { return s.Name == "Step flaky" })

	// A first attempt runs under its step's span (whether it gets a span
	// of its own is known only when it ends); later attempts under theirs.
	want := []struct {
		msg, span string
		n         float64
	}{
		{"workflow started", firstInvocation, 0},
		{"flaky attempt", flaky, 1},
		{"flaky attempt", flakyAttempt(2), 2},
		{"in child", child, 0},
	}
	logs := tel.jsonLogs(t)
	emitted := map[string][]durabletest.LogRecord{}
	for _, r := range exec.EmittedLogs() {
		emitted[r.Message] = append(emitted[r.Message], r)
	}
	for _, w := range want {
		found := 0
		for _, line := range logs[w.msg] {
			if n, _ := line["n"].(float64); n != w.n {
				continue
			}
			found++
			if line["traceId"] != traceID || line["spanId"] != w.span {
				t.Errorf("%q (n=%v) logged traceId %v spanId %v, want %s %s", w.msg, w.n, line["traceId"], line["spanId"], traceID, w.span)
			}
		}
		if found != 1 {
			t.Errorf("%q (n=%v) printed %d times, want once", w.msg, w.n, found)
		}
		found = 0
		for _, r := range emitted[w.msg] {
			if n, _ := r.Fields["n"].(int); float64(n) != w.n {
				continue
			}
			found++
			if r.Fields["traceId"] != traceID || r.Fields["spanId"] != w.span {
				t.Errorf("EmittedLogs: %q (n=%v) has traceId %v spanId %v, want %s %s", w.msg, w.n, r.Fields["traceId"], r.Fields["spanId"], traceID, w.span)
			}
		}
		if found != 1 {
			t.Errorf("EmittedLogs: %q (n=%v) emitted %d times, want once", w.msg, w.n, found)
		}
	}
}

func TestLogKeysAndXRayFormat(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		ctx.Logger().Info("hello")
		return 1, nil
	}, tel.options(durableotel.WithLogKeys("trace_id", "span_id"), durableotel.WithXRayLogFormat())...)
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	line := tel.jsonLogs(t)["hello"][0]
	tid := tel.spans.GetSpans()[0].SpanContext.TraceID().String()
	if want := "1-" + tid[:8] + "-" + tid[8:]; line["trace_id"] != want || line["span_id"] == nil || line["traceId"] != nil {
		t.Errorf("line %v, want trace_id %s and span_id", line, want)
	}
}

// sum returns the sum of the int64 sum or histogram metric name over the
// data points whose attributes include attrs.
func sum(t *testing.T, rm metricdata.ResourceMetrics, name string, attrs ...attribute.KeyValue) (total float64, count uint64) {
	t.Helper()
	match := func(set attribute.Set) bool {
		for _, kv := range attrs {
			if v, ok := set.Value(kv.Key); !ok || v != kv.Value {
				return false
			}
		}
		return true
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					if match(p.Attributes) {
						total += float64(p.Value)
						count++
					}
				}
			case metricdata.Histogram[int64]:
				for _, p := range d.DataPoints {
					if match(p.Attributes) {
						total += float64(p.Sum)
						count += p.Count
					}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					if match(p.Attributes) {
						total += p.Sum
						count += p.Count
					}
				}
			}
		}
	}
	return total, count
}

func TestMetrics(t *testing.T) {
	tel := newTelemetry(t)
	exec := runWorkflow(t, tel)
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	name, outcome := durableotel.KeyOperationName, durableotel.KeyAttemptOutcome
	for _, c := range []struct {
		metric string
		attrs  []attribute.KeyValue
		want   float64
	}{
		{durableotel.MetricAttempts, []attribute.KeyValue{name.String("flaky"), outcome.String("failed")}, 1},
		{durableotel.MetricAttempts, []attribute.KeyValue{name.String("flaky"), outcome.String("succeeded")}, 1},
		{durableotel.MetricAttempts, []attribute.KeyValue{name.String("fetch"), outcome.String("succeeded")}, 1},
		{durableotel.MetricAttempts, []attribute.KeyValue{name.String("double")}, 3},
		{durableotel.MetricAttempts, nil, 8}, // fetch, flaky twice, inner, double thrice, submitter
		{durableotel.MetricRetries, []attribute.KeyValue{name.String("flaky")}, 1},
		{durableotel.MetricRetries, nil, 1},
		{durableotel.MetricInvocations, nil, 4},
		{durableotel.MetricInvocations, []attribute.KeyValue{durableotel.KeyInvocationStatus.String("SUCCEEDED")}, 1},
		{durableotel.MetricCheckpointCalls, nil, float64(exec.Stats().CheckpointCalls)},
	} {
		if got, _ := sum(t, rm, c.metric, c.attrs...); got != c.want {
			t.Errorf("%s %v = %v, want %v", c.metric, c.attrs, got, c.want)
		}
	}
	updates, calls := sum(t, rm, durableotel.MetricCheckpointBatchSize)
	if stats := exec.Stats(); updates != float64(stats.OperationUpdates) || calls != uint64(stats.CheckpointCalls) {
		t.Errorf("batch sizes: %v updates in %d calls, the runner saw %d in %d", updates, calls, stats.OperationUpdates, stats.CheckpointCalls)
	}
	if _, n := sum(t, rm, durableotel.MetricOperationDuration); n != uint64(len(exec.Operations())-1) {
		t.Errorf("%d operation durations, want one per operation (%d)", n, len(exec.Operations())-1)
	}
	if secs, n := sum(t, rm, durableotel.MetricOperationDuration, durableotel.KeyOperationType.String("WAIT")); n != 1 || secs < 5 {
		t.Errorf("wait durations: %v s in %d, want one of at least 5 s", secs, n)
	}
	// Per invocation: 1) fetch, flaky executed; 2) fetch replayed, flaky
	// and pause executed; 3) fetch, flaky, pause replayed, the twelve
	// operations up to the callback executed; 4) the seven completed ones
	// the state shows (not those inside completed contexts) replayed, the
	// callback's context executed.
	replayed, n := sum(t, rm, durableotel.MetricInvocationOperations, durableotel.KeyOperationMode.String("replayed"))
	executed, m := sum(t, rm, durableotel.MetricInvocationOperations, durableotel.KeyOperationMode.String("executed"))
	t.Logf("replayed %v, executed %v", replayed, executed)
	if n != 4 || m != 4 || replayed != 0+1+3+7 || executed != 2+2+12+1 {
		t.Errorf("operations per invocation: replayed %v in %d, executed %v in %d", replayed, n, executed, m)
	}
}

// plainLogger is a LoggerInterface without With: the enrichment reaches it
// as a prefix of every call's args.
type plainLogger struct {
	mu    sync.Mutex
	lines [][]any
}

func (l *plainLogger) add(args []any) {
	l.mu.Lock()
	l.lines = append(l.lines, append([]any(nil), args...)) // the args are pooled: copy
	l.mu.Unlock()
}
func (l *plainLogger) Debug(_ string, args ...any)   { l.add(args) }
func (l *plainLogger) Info(_ string, args ...any)    { l.add(args) }
func (l *plainLogger) Warning(_ string, args ...any) { l.add(args) }
func (l *plainLogger) Error(_ string, args ...any)   { l.add(args) }
func (l *plainLogger) Exception(_ string, _ error, args ...any) {
	l.add(args)
}

func TestLogFieldsReachLoggersWithoutBinding(t *testing.T) {
	tel := newTelemetry(t)
	l := &plainLogger{}
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "s", func(sc *durable.StepContext) (int, error) {
			sc.Logger().Info("in step")
			return 1, nil
		})
	}, append(tel.options(), durable.WithLogger(l))...)
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	step := spanNamed(t, tel.spans.GetSpans(), "Step s")
	if len(l.lines) != 1 {
		t.Fatalf("%d lines, want 1", len(l.lines))
	}
	fields := map[any]any{}
	for i := 0; i+1 < len(l.lines[0]); i += 2 {
		fields[l.lines[0][i]] = l.lines[0][i+1]
	}
	if fields["traceId"] != step.SpanContext.TraceID().String() || fields["spanId"] != step.SpanContext.SpanID().String() {
		t.Errorf("line args %v, want the step span's traceId and spanId", l.lines[0])
	}
}

func TestFailuresCarryErrorStatus(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "doomed", func(*durable.StepContext) (int, error) {
			return 0, errors.New("card declined")
		}, durable.WithRetryStrategy(func(error, int) durable.RetryDecision { return durable.RetryDecision{} }))
	}, tel.options()...)
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != "FAILED" {
		t.Fatalf("run: %v %s", err, exec.Status())
	}
	spans := tel.spans.GetSpans()
	for _, name := range []string{"Step doomed", "Step doomed attempt", "durable invocation", "durable execution"} {
		s := spanNamed(t, spans, name)
		if s.Status.Code != codes.Error || !strings.Contains(s.Status.Description, "card declined") {
			t.Errorf("%s: status %+v, want an error mentioning the step's", name, s.Status)
		}
	}
	// Each records the error as an exception event, for error trackers
	// that read events rather than statuses.
	for _, name := range []string{"Step doomed", "Step doomed attempt", "durable invocation", "durable execution"} {
		if s := spanNamed(t, spans, name); len(s.Events) != 1 || s.Events[0].Name != "exception" {
			t.Errorf("%s: events %+v, want one exception", name, s.Events)
		}
	}
	if a := spanNamed(t, spans, "Step doomed attempt"); attr(a, durableotel.KeyAttemptOutcome).AsString() != durableotel.OutcomeFailed {
		t.Errorf("attempt outcome %v, want failed", attr(a, durableotel.KeyAttemptOutcome))
	}
}

func TestConditionChecksAreAttempts(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.WaitForCondition(ctx, "ready", 0, func(_ *durable.StepContext, n int) (int, error) { return n + 1, nil },
			func(n, _ int) (durable.WaitDecision, error) {
				return durable.WaitDecision{Continue: n < 2, Delay: 2 * time.Second}, nil
			})
	}, tel.options()...)
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != "SUCCEEDED" {
		t.Fatalf("run: %v %s", err, exec.Status())
	}
	var outcomes []string
	for _, s := range tel.spans.GetSpans() {
		if s.Name == "WaitForCondition ready attempt" {
			outcomes = append(outcomes, fmt.Sprintf("%d:%s:%d", attr(s, durableotel.KeyAttempt).AsInt64(),
				attr(s, durableotel.KeyAttemptOutcome).AsString(), attr(s, durableotel.KeyRetryDelay).AsInt64()))
		}
	}
	sort.Strings(outcomes)
	if strings.Join(outcomes, " ") != "1:retried:2 2:succeeded:0" {
		t.Errorf("check spans %v, want check 1 re-checked after 2s, check 2 succeeded", outcomes)
	}
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	if n, _ := sum(t, rm, durableotel.MetricRetries, durableotel.KeyOperationSubType.String("WaitForCondition")); n != 1 {
		t.Errorf("%v condition retries, want 1", n)
	}
}

// instances hands each invocation to the next of several handlers, like
// Lambda sending an execution's invocations to different instances.
type instances struct {
	fns []*durable.Function
	n   int
}

func (in *instances) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	f := in.fns[in.n%len(in.fns)]
	in.n++
	return f.Invoke(ctx, payload)
}

func TestInvocationsOnOtherInstancesJoinTheTrace(t *testing.T) {
	tels := []*telemetry{newTelemetry(t), newTelemetry(t)}
	var callbackID string
	h := &instances{}
	for _, tel := range tels {
		h.fns = append(h.fns, durable.Handler(workflow(&callbackID), tel.options()...))
	}
	runWorkflowOn(t, h, &callbackID)
	// Each instance exported part of the trace; together they form one tree.
	byID := map[trace.SpanID]tracetest.SpanStub{}
	traces := map[trace.TraceID]bool{}
	for i, tel := range tels {
		spans := tel.spans.GetSpans()
		if len(spans) == 0 {
			t.Fatalf("instance %d exported nothing", i)
		}
		for _, s := range spans {
			byID[s.SpanContext.SpanID()] = s
			traces[s.SpanContext.TraceID()] = true
		}
	}
	if len(traces) != 1 {
		t.Errorf("spans in %d traces, want 1", len(traces))
	}
	roots := 0
	for _, s := range byID {
		if !s.Parent.IsValid() {
			roots++
			continue
		}
		if _, ok := byID[s.Parent.SpanID()]; !ok {
			t.Errorf("span %q has parent %s, which no instance exported", s.Name, s.Parent.SpanID())
		}
	}
	if roots != 1 {
		t.Errorf("%d root spans, want the execution's only", roots)
	}
}

// Operation durations range from milliseconds (steps) to days (waits,
// callbacks): the histogram's buckets tell a 1 s wait from a 3 s one, and
// a 10 minute one from an hour (the SDK's default buckets, made for
// milliseconds, put the first two together).
func TestOperationDurationBuckets(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		for _, d := range []time.Duration{time.Second, 3 * time.Second, 10 * time.Minute, time.Hour} {
			if err := durable.Wait(ctx, d.String(), d); err != nil {
				return 0, err
			}
		}
		return 1, nil
	}, tel.options()...)
	if _, err := durabletest.NewRunner(fn).Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != durableotel.MetricOperationDuration {
				continue
			}
			for _, p := range m.Data.(metricdata.Histogram[float64]).DataPoints {
				if p.Count != 4 {
					t.Fatalf("%d durations, want the 4 waits'", p.Count)
				}
				for i, n := range p.BucketCounts {
					if n > 1 {
						t.Errorf("%d of the waits (1s, 3s, 10m, 1h) share a bucket (%d of bounds %v)", n, i, p.Bounds)
					}
				}
			}
			return
		}
	}
	t.Fatal("no operation durations")
}

// A condition check whose wait strategy gives up (an error) fails its
// operation: the check's span says so with error status, like any failed
// attempt, though the check itself returned no error.
func TestConditionGivingUpFailsTheCheck(t *testing.T) {
	tel := newTelemetry(t)
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		return durable.WaitForCondition(ctx, "ready", 0, func(_ *durable.StepContext, n int) (int, error) { return n + 1, nil },
			func(n, attempt int) (durable.WaitDecision, error) {
				if attempt >= 2 {
					return durable.WaitDecision{}, errors.New("gave up waiting")
				}
				return durable.WaitDecision{Continue: true, Delay: time.Second}, nil
			})
	}, tel.options()...)
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != "FAILED" {
		t.Fatalf("run: %v %s", err, exec.Status())
	}
	checks := 0
	for _, s := range tel.spans.GetSpans() {
		if s.Name != "WaitForCondition ready attempt" {
			continue
		}
		checks++
		if attr(s, durableotel.KeyAttempt).AsInt64() != 2 {
			continue
		}
		if attr(s, durableotel.KeyAttemptOutcome).AsString() != durableotel.OutcomeFailed || s.Status.Code != codes.Error ||
			!strings.Contains(s.Status.Description, "gave up waiting") || len(s.Events) != 1 {
			t.Errorf("the last check: outcome %v status %+v events %v, want failed with the strategy's error",
				attr(s, durableotel.KeyAttemptOutcome), s.Status, s.Events)
		}
	}
	if checks != 2 {
		t.Errorf("%d check spans, want 2", checks)
	}
}
