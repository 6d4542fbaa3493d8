package durableotel

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/durable-go/durable-go/core/plugin"
)

// Metric names.
const (
	MetricAttempts             = "durable.step.attempts"         // counter: executed step attempts and condition checks, by name, subtype, outcome
	MetricRetries              = "durable.step.retries"          // counter: retries scheduled, by name, subtype
	MetricOperationDuration    = "durable.operation.duration"    // histogram (s): START to end of each operation, by type, subtype, status
	MetricCheckpointCalls      = "durable.checkpoint.calls"      // counter: checkpoint calls, by durable.checkpoint.failed
	MetricCheckpointBatchSize  = "durable.checkpoint.batch_size" // histogram: operation updates per checkpoint call
	MetricInvocations          = "durable.invocations"           // counter: invocations, by status and first
	MetricInvocationOperations = "durable.invocation.operations" // histogram: operations per invocation, by durable.operation.mode
)

// Metric attribute keys besides the span attributes'.
const (
	KeyCheckpointFailed = attribute.Key("durable.checkpoint.failed")
	KeyOperationMode    = attribute.Key("durable.operation.mode") // "replayed" or "executed"
)

// durationBounds are the buckets of operation durations, in seconds: from
// steps of milliseconds to waits and callbacks of days (the SDK's default
// buckets are made for milliseconds: they would put every operation under
// 5 s in one bucket).
var durationBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
	1800, 3600, 7200, 21600, 86400, 604800}

type instruments struct {
	attempts, retries, checkpoints, invocations metric.Int64Counter
	duration                                    metric.Float64Histogram
	batchSize, invocationOps                    metric.Int64Histogram

	mu   sync.RWMutex
	sets map[setKey]*attrSet
}

// attrSet is a cached attribute set as the option slices instruments take
// (a ready slice passed with ... costs no allocation per measurement).
type attrSet struct {
	add []metric.AddOption
	rec []metric.RecordOption
}

// setKey identifies a cached attribute set.
type setKey struct {
	kind    byte
	a, b, c string
}

func newInstruments(m metric.Meter) *instruments {
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	in := instruments{sets: map[setKey]*attrSet{}}
	var err error
	in.attempts, err = m.Int64Counter(MetricAttempts, metric.WithUnit("{attempt}"), metric.WithDescription("Executed step attempts and condition checks."))
	check(err)
	in.retries, err = m.Int64Counter(MetricRetries, metric.WithUnit("{retry}"), metric.WithDescription("Retries scheduled for steps and condition checks."))
	check(err)
	in.checkpoints, err = m.Int64Counter(MetricCheckpointCalls, metric.WithUnit("{call}"), metric.WithDescription("Checkpoint calls."))
	check(err)
	in.invocations, err = m.Int64Counter(MetricInvocations, metric.WithUnit("{invocation}"), metric.WithDescription("Invocations of durable functions."))
	check(err)
	in.duration, err = m.Float64Histogram(MetricOperationDuration, metric.WithUnit("s"), metric.WithDescription("Durable operation duration, from START to end, across invocations."),
		metric.WithExplicitBucketBoundaries(durationBounds...))
	check(err)
	in.batchSize, err = m.Int64Histogram(MetricCheckpointBatchSize, metric.WithUnit("{update}"), metric.WithDescription("Operation updates per checkpoint call."))
	check(err)
	in.invocationOps, err = m.Int64Histogram(MetricInvocationOperations, metric.WithUnit("{operation}"), metric.WithDescription("Operations per invocation: replayed (completed before it) and executed (started or advanced by it)."))
	check(err)
	if len(errs) > 0 {
		for _, err := range errs {
			otel.Handle(err)
		}
		var n noop.Meter
		in.attempts, _ = n.Int64Counter("")
		in.retries, in.checkpoints, in.invocations = in.attempts, in.attempts, in.attempts
		in.duration, _ = n.Float64Histogram("")
		in.batchSize, _ = n.Int64Histogram("")
		in.invocationOps = in.batchSize
	}
	return &in
}

// set returns the cached attribute set k names, built by build.
func (in *instruments) set(k setKey, build func() []attribute.KeyValue) *attrSet {
	in.mu.RLock()
	a, ok := in.sets[k]
	in.mu.RUnlock()
	if ok {
		return a
	}
	o := metric.WithAttributeSet(attribute.NewSet(build()...))
	a = &attrSet{add: []metric.AddOption{o}, rec: []metric.RecordOption{o}}
	in.mu.Lock()
	in.sets[k] = a
	in.mu.Unlock()
	return a
}

// countKey identifies a counter increment an invocation collects and adds
// at its end: a counter's Add costs about as much as a span attribute, and
// a map workload counts thousands of attempts under a handful of keys.
type countKey struct {
	metric                 byte // metricAttempts or metricRetries
	name, subType, outcome string
}

const (
	metricAttempts byte = 'a'
	metricRetries  byte = 'r'
)

// addCounts adds the counter increments an invocation collected.
func (in *instruments) addCounts(ctx context.Context, counts map[countKey]int64) {
	for k, n := range counts {
		switch k.metric {
		case metricAttempts:
			in.attempts.Add(ctx, n, in.set(setKey{'a', k.name, k.subType, k.outcome}, func() []attribute.KeyValue {
				return []attribute.KeyValue{KeyOperationName.String(k.name), KeyOperationSubType.String(k.subType), KeyAttemptOutcome.String(k.outcome)}
			}).add...)
		case metricRetries:
			in.retries.Add(ctx, n, in.set(setKey{'r', k.name, k.subType, ""}, func() []attribute.KeyValue {
				return []attribute.KeyValue{KeyOperationName.String(k.name), KeyOperationSubType.String(k.subType)}
			}).add...)
		}
	}
}

// operation records an operation's duration. The context is Background:
// the invocation's span is no exemplar of an operation's duration.
func (in *instruments) operation(o *plugin.OperationInfo) {
	if o.StartTimestamp.IsZero() || o.EndTimestamp.IsZero() {
		return
	}
	typ, status := string(o.Type), string(o.Status)
	in.duration.Record(context.Background(), o.EndTimestamp.Sub(o.StartTimestamp).Seconds(), in.set(setKey{'o', typ, o.SubType, status}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationType.String(typ), KeyOperationSubType.String(o.SubType), KeyOperationStatus.String(status)}
	}).rec...)
}

// checkpoint records a checkpoint call.
func (in *instruments) checkpoint(c *plugin.CheckpointInfo) {
	ctx := context.Background()
	failed := c.Err != nil
	in.checkpoints.Add(ctx, 1, in.set(setKey{'c', "", "", boolKey(failed)}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyCheckpointFailed.Bool(failed)}
	}).add...)
	in.batchSize.Record(ctx, int64(len(c.Updates)))
}

// invocationEnd adds the invocation's counts, and counts the invocation
// (with status) and its replayed and executed operations, once: replayed
// are those complete when it started, executed those user code started or
// resumed in it. The deadline guard calls it too, as Lambda may stop the
// invocation before it ends; the invocation's end then adds what it
// counted since.
func (in *instruments) invocationEnd(ctx context.Context, st *invocation, status string) {
	st.mu.Lock()
	in.addCounts(ctx, st.counts)
	clear(st.counts)
	recorded := st.recorded
	st.recorded = true
	st.mu.Unlock()
	if recorded {
		return
	}
	in.invocationOps.Record(ctx, int64(st.completed), in.set(setKey{'m', "replayed", "", ""}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationMode.String("replayed")}
	}).rec...)
	in.invocationOps.Record(ctx, st.started.Load(), in.set(setKey{'m', "executed", "", ""}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationMode.String("executed")}
	}).rec...)
	first := st.first
	in.invocations.Add(ctx, 1, in.set(setKey{'i', status, boolKey(first), ""}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyInvocationStatus.String(status), KeyInvocationFirst.Bool(first)}
	}).add...)
}

func boolKey(b bool) string {
	if b {
		return "t"
	}
	return "f"
}
