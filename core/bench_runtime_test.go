package durable_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/internal/testhook"
	"github.com/durable-go/durable-go/core/protocol"
)

// ackService is the least a Service can do: it acknowledges every
// checkpoint with a new token and answers a WAIT START with the started
// wait, the one record the runtime reads back in these benchmarks. It
// keeps nothing, so a benchmark over it measures the runtime alone,
// without the local runner's bookkeeping (validation, records, history).
type ackService struct {
	calls, updates int
	token          int
}

func (s *ackService) Checkpoint(_ context.Context, req protocol.CheckpointRequest) (*protocol.CheckpointResponse, error) {
	s.calls++
	s.updates += len(req.Updates)
	s.token++
	resp := &protocol.CheckpointResponse{CheckpointToken: "t" + strconv.Itoa(s.token)}
	for _, u := range req.Updates {
		if u.Type == protocol.OperationTypeWait && u.Action == protocol.ActionStart {
			resp.NewExecutionState.Operations = append(resp.NewExecutionState.Operations, protocol.Operation{
				ID: u.ID, ParentID: u.ParentID, Name: u.Name, Type: u.Type, SubType: u.SubType, Status: protocol.StatusStarted,
			})
		}
	}
	return resp, nil
}

func (*ackService) GetExecutionState(context.Context, protocol.StateRequest) (*protocol.ExecutionState, error) {
	return &protocol.ExecutionState{}, nil
}

// runtimeEvents returns the invocation payloads of fn's execution as the
// local runner produced it: invocation k (0-based) loads the operations
// the first k invocations left, ending at the k-th WAIT.
func runtimeEvents(b *testing.B, fn *durable.Function, invocations int) [][]byte {
	exec, err := durabletest.NewRunner(fn).Run(context.Background(), nil)
	if err != nil || exec.Status() != durabletest.ExecutionSucceeded {
		b.Fatalf("run: %v %s", err, exec.Status())
	}
	ops := exec.Operations()
	var payloads [][]byte
	end := 1 // the EXECUTION operation
	for k := range invocations {
		if k > 0 {
			for ops[end].Type != protocol.OperationTypeWait {
				end++
			}
			end++
		}
		ev := protocol.InvocationEvent{
			DurableExecutionArn:   exec.Arn(),
			CheckpointToken:       "t0",
			InitialExecutionState: &protocol.ExecutionState{Operations: ops[:end]},
		}
		p, err := json.Marshal(ev)
		if err != nil {
			b.Fatal(err)
		}
		payloads = append(payloads, p)
	}
	return payloads
}

// BenchmarkRuntime runs the Seq100 and Map1000 workloads over ackService:
// every invocation of the execution from its Lambda payload (decoding,
// replay, checkpointing), none of the local runner's own work. The
// difference to BenchmarkSeq100 and BenchmarkMap1000 is the runner's.
func BenchmarkRuntime(b *testing.B) {
	for _, w := range []struct {
		name        string
		fn          *durable.Function
		invocations int
	}{{"seq100", seq100(), 11}, {"map1000", map1000(), 1}} {
		b.Run(w.name, func(b *testing.B) {
			payloads := runtimeEvents(b, w.fn, w.invocations)
			b.ReportAllocs()
			var svc *ackService
			cpu0 := cpuTime()
			for b.Loop() {
				svc = &ackService{}
				ctx := testhook.WithService(context.Background(), svc)
				for k, p := range payloads {
					out, err := w.fn.Handle(ctx, p)
					want := protocol.InvocationPending
					if k == len(payloads)-1 {
						want = protocol.InvocationSucceeded
					}
					if err != nil || out.Status != want {
						b.Fatalf("invocation %d: %v %+v", k+1, err, out)
					}
				}
			}
			cpuMS := float64((cpuTime() - cpu0).Microseconds()) / 1000 / float64(b.N)
			b.ReportMetric(cpuMS, "cpu-ms/op")
			b.ReportMetric(float64(svc.calls), "checkpoints")
			b.ReportMetric(float64(svc.updates), "updates")
			b.ReportMetric(modeledWallMS(time.Duration(svc.calls)*modeledCallLatency, cpuMS), "modeled-ms")
		})
	}
}
