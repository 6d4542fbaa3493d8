package durable_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// replayOnly is a Service for a pure replay: the invocation must not
// checkpoint at all.
type replayOnly struct{}

func (replayOnly) Checkpoint(context.Context, protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	return nil, errors.New("a pure replay must not checkpoint")
}

func (replayOnly) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return nil, errors.New("the whole state is in the event")
}

// BenchmarkReplay10kSteps measures one invocation that replays a history
// of 10,000 completed steps and suspends at the wait that follows them.
func BenchmarkReplay10kSteps(b *testing.B) {
	const steps = 10_000
	fn := durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		sum := 0
		for i := range steps {
			v, err := durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return i, nil })
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, durable.Wait(ctx, "", time.Hour)
	})
	exec, err := durabletest.NewRunner(fn).Start(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ev := &protocol.InvocationEvent{
		DurableExecutionArn:   exec.Arn(),
		CheckpointToken:       "token",
		InitialExecutionState: &protocol.ExecutionState{Operations: exec.Operations()},
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	ctx := testhook.WithService(context.Background(), replayOnly{})
	perStep := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/steps, "ns/step")
	}
	// Replay: the state is loaded; every step returns its recorded result.
	b.Run("replay", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := fn.HandleEvent(ctx, ev)
			if err != nil || out.Status != protocol.InvocationPending {
				b.Fatalf("replay: %v %+v", err, out)
			}
		}
		perStep(b)
	})
	// Invocation: the same plus decoding the 10,000-operation JSON event.
	b.Run("invocation", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := fn.Handle(ctx, payload)
			if err != nil || out.Status != protocol.InvocationPending {
				b.Fatalf("replay: %v %+v", err, out)
			}
		}
		perStep(b)
	})
}

// BenchmarkSeq100 runs 100 sequential steps with a 1-second wait after
// every 10th (11 invocations) on the local runner's virtual clock: each
// step's outcome checkpointed before Step returns (sync), and with a
// one-second durability window (window).
func BenchmarkSeq100(b *testing.B) {
	b.Run("sync", func(b *testing.B) { benchExecution(b, seq100(), nil, 11) })
	b.Run("window", func(b *testing.B) { benchExecution(b, seq100(benchWindow), nil, 11) })
}

// benchWindow is the durability window of the benchmarks' window variants.
var benchWindow = durable.WithCheckpointWindow(time.Second)

func seq100(opts ...durable.Option) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		for i := range 100 {
			if _, err := durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return i, nil }); err != nil {
				return 0, err
			}
			if i%10 == 9 {
				if err := durable.Wait(ctx, "", time.Second); err != nil {
					return 0, err
				}
			}
		}
		return 100, nil
	}, opts...)
}

// BenchmarkMap1000 maps over 1,000 items, concurrency 50, one step each,
// without and with a durability window.
func BenchmarkMap1000(b *testing.B) {
	b.Run("sync", func(b *testing.B) { benchExecution(b, map1000(), nil, 1) })
	b.Run("window", func(b *testing.B) { benchExecution(b, map1000(benchWindow), nil, 1) })
}

func map1000(opts ...durable.Option) *durable.Function {
	items := make([]int, 1000)
	for i := range items {
		items[i] = i
	}
	return durable.Handler(func(ctx *durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "map1000", items, func(c *durable.Context, item, _ int, _ []int) (int, error) {
			return durable.Step(c, "", func(*durable.StepContext) (int, error) { return item * 2, nil })
		}, durable.WithMaxConcurrency(50))
		if err != nil {
			return 0, err
		}
		return res.SuccessCount(), res.Err()
	}, opts...)
}

func benchExecution(b *testing.B, fn *durable.Function, input any, invocations int) {
	b.ReportAllocs()
	var stats durabletest.Stats
	var waited time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		exec, err := durabletest.NewRunner(fn, durabletest.WithServiceLatency(modeledCallLatency)).Run(context.Background(), input)
		if err != nil || exec.Status() != "SUCCEEDED" {
			b.Fatalf("run: %v, status %s %+v", err, exec.Status(), exec.Error())
		}
		stats = exec.Stats()
		waited = serviceWait(exec)
	}
	if stats.Invocations != invocations {
		b.Fatalf("%d invocations, want %d", stats.Invocations, invocations)
	}
	cpuMS := float64((cpuTime() - cpu0).Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(cpuMS, "cpu-ms/op")
	b.ReportMetric(float64(stats.CheckpointCalls), "checkpoints")
	b.ReportMetric(float64(stats.OperationUpdates), "updates")
	if want := time.Duration(stats.CheckpointCalls+stats.StateCalls) * modeledCallLatency; waited != want {
		b.Fatalf("invocations waited %v of virtual time, want %v for %d calls", waited, want, stats.CheckpointCalls+stats.StateCalls)
	}
	b.ReportMetric(modeledWallMS(waited, cpuMS), "modeled-ms")
}

// modeledCallLatency is the round trip modeled for every service call
// (durabletest.WithServiceLatency).
const modeledCallLatency = 20 * time.Millisecond

// serviceWait is the virtual time exec's invocations lasted: their calls
// times modeledCallLatency.
func serviceWait(exec *durabletest.Execution) time.Duration {
	var d time.Duration
	for _, inv := range exec.Invocations() {
		d += inv.End.Sub(inv.Start)
	}
	return d
}

// modeledWallMS is the wall time an execution would take in Lambda with
// modeledCallLatency per service call: the time its invocations wait for
// the service (one execution's calls never overlap: each needs the
// previous call's token, and an invocation cannot end before its last
// call is answered) plus the CPU the run took. It is an upper bound: the
// runtime keeps running user code while queued updates are in flight.
func modeledWallMS(waited time.Duration, cpuMS float64) float64 {
	return float64(waited.Microseconds())/1000 + cpuMS
}
