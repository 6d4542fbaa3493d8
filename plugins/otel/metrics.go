package durableotel

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
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
	in.duration, err = m.Float64Histogram(MetricOperationDuration, metric.WithUnit("s"), metric.WithDescription("Durable operation duration, from START to end, across invocations."))
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

func (in *instruments) attempt(ctx context.Context, a *plugin.AttemptInfo) {
	outcome := OutcomeSucceeded
	if !a.Succeeded {
		outcome = OutcomeFailed
	}
	in.attempts.Add(ctx, 1, in.set(setKey{'a', a.Name, a.SubType, outcome}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationName.String(a.Name), KeyOperationSubType.String(a.SubType), KeyAttemptOutcome.String(outcome)}
	}).add...)
}

func (in *instruments) retry(ctx context.Context, name, subType string) {
	in.retries.Add(ctx, 1, in.set(setKey{'r', name, subType, ""}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationName.String(name), KeyOperationSubType.String(subType)}
	}).add...)
}

func (in *instruments) operation(ctx context.Context, o *plugin.OperationInfo) {
	if o.StartTimestamp.IsZero() || o.EndTimestamp.IsZero() {
		return
	}
	typ, status := string(o.Type), string(o.Status)
	in.duration.Record(ctx, o.EndTimestamp.Sub(o.StartTimestamp).Seconds(), in.set(setKey{'o', typ, o.SubType, status}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationType.String(typ), KeyOperationSubType.String(o.SubType), KeyOperationStatus.String(status)}
	}).rec...)
}

func (in *instruments) checkpoint(ctx context.Context, c *plugin.CheckpointInfo) {
	failed := c.Err != nil
	in.checkpoints.Add(ctx, 1, in.set(setKey{'c', "", "", boolKey(failed)}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyCheckpointFailed.Bool(failed)}
	}).add...)
	in.batchSize.Record(ctx, int64(len(c.Updates)))
}

// invocationEnd counts the invocation and its replayed and executed
// operations: replayed are those completed when it started, executed
// those it created or whose status changed while it ran.
func (in *instruments) invocationEnd(ctx context.Context, st *invocation, info *plugin.InvocationInfo) {
	var replayed, executed int64
	for id, op := range info.Operations {
		if op.Type == protocol.OperationTypeExecution {
			continue
		}
		before, seen := st.startOps[id]
		switch {
		case seen && before.Status.Terminal():
			replayed++
		case !seen || before.Status != op.Status:
			executed++
		}
	}
	in.invocationOps.Record(ctx, replayed, in.set(setKey{'m', "replayed", "", ""}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationMode.String("replayed")}
	}).rec...)
	in.invocationOps.Record(ctx, executed, in.set(setKey{'m', "executed", "", ""}, func() []attribute.KeyValue {
		return []attribute.KeyValue{KeyOperationMode.String("executed")}
	}).rec...)
	status, first := string(info.Status), info.IsFirstInvocation
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
