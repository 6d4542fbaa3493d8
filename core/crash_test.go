package durable_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// crashSeeds is the fixed seed set CI runs; DURABLE_CRASH_SEEDS=n runs
// seeds 1..n instead.
func crashSeeds(t *testing.T) []uint64 {
	n := uint64(10)
	if s := os.Getenv("DURABLE_CRASH_SEEDS"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil || v == 0 {
			t.Fatalf("DURABLE_CRASH_SEEDS=%q: want a positive number of seeds", s)
		}
		n = v
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

type flowOutcome struct {
	status, result string
	ops            map[string]string
	twice          []string
	repeated       []string
	late           []string // updates of operations whose parent context had ended
	stats          durabletest.Stats
}

// runFlowCrashing runs the program of seed, crashing the invocation at the
// crashAt-th update the service receives (0: never).
func runFlowCrashing(t *testing.T, prog []flowNode, crashAt int) flowOutcome {
	t.Helper()
	runs := &flowRuns{}
	seen := 0
	ended := map[string]bool{} // contexts whose SUCCEED or FAIL the service accepted
	var late []string
	runner := durabletest.NewRunner(flowHandler(prog, runs), durabletest.WithCrash(func(inv int, u protocol.OperationUpdate) bool {
		seen++
		if seen == crashAt {
			return true
		}
		if ended[u.ParentID] {
			late = append(late, fmt.Sprintf("invocation %d: %s %s %q after its parent ended", inv, u.Action, u.Type, u.Name))
		}
		if u.Type == protocol.OperationTypeContext && (u.Action == protocol.ActionSucceed || u.Action == protocol.ActionFail) {
			ended[u.ID] = true
		}
		return false
	}))
	exec := runCrashing(t, runner, crashAt)
	out := flowOutcome{status: exec.Status(), ops: completed(exec), twice: succeededTwice(exec), repeated: runs.repeated(), late: late, stats: exec.Stats()}
	if r := exec.Result(); r != nil {
		out.result = *r
	}
	if e := exec.Error(); e != nil {
		out.result = e.ErrorType + ": " + e.ErrorMessage
	}
	if crashAt > 0 && seen < crashAt {
		t.Fatalf("the run saw %d updates, fewer than the crash point %d", seen, crashAt)
	}
	return out
}

// runCrashing runs an execution of runner to its end (crashing at update
// crashAt, as runner's WithCrash decides), completing its callbacks.
func runCrashing(t *testing.T, runner *durabletest.Runner, crashAt int) *durabletest.Execution {
	t.Helper()
	ctx := context.Background()
	exec, err := runner.Start(ctx, nil)
	if err == nil {
		err = driveFlow(ctx, exec)
	}
	if err != nil {
		t.Fatalf("crash at update %d: %v", crashAt, err)
	}
	return exec
}

// TestCrashConsistency crashes random workflows at every update the
// service receives: at each checkpoint boundary and inside each batch. The
// final result and the completed operations must equal the crash-free
// run's, no operation may succeed twice, and an at-most-once step's body
// runs at most once per attempt.
func TestCrashConsistency(t *testing.T) {
	points, inBatch := 0, 0
	seeds := crashSeeds(t)
	for _, seed := range seeds {
		prog := genFlow(seed)
		base := runFlowCrashing(t, prog, 0)
		if len(base.twice) > 0 || len(base.repeated) > 0 || len(base.late) > 0 {
			t.Fatalf("seed %d crash-free: succeeded twice %v, repeated %v, late %v", seed, base.twice, base.repeated, base.late)
		}
		updates := base.stats.OperationUpdates
		inBatch += updates - base.stats.CheckpointCalls
		for k := 1; k <= updates; k++ {
			got := runFlowCrashing(t, prog, k)
			points++
			if got.status != base.status || got.result != base.result {
				t.Errorf("seed %d, crash at update %d: %s %q, crash-free %s %q", seed, k, got.status, got.result, base.status, base.result)
			}
			for id, want := range base.ops {
				if got.ops[id] != want {
					t.Errorf("seed %d, crash at update %d: operation %s is %q, crash-free %q", seed, k, id, got.ops[id], want)
				}
			}
			if len(got.ops) != len(base.ops) {
				t.Errorf("seed %d, crash at update %d: %d completed operations, crash-free %d", seed, k, len(got.ops), len(base.ops))
			}
			if len(got.twice) > 0 {
				t.Errorf("seed %d, crash at update %d: operations succeeded twice: %v", seed, k, got.twice)
			}
			if len(got.late) > 0 {
				t.Errorf("seed %d, crash at update %d: %v", seed, k, got.late)
			}
			if len(got.repeated) > 0 {
				t.Errorf("seed %d, crash at update %d: at-most-once attempts re-ran: %v", seed, k, got.repeated)
			}
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	t.Logf("explored %d crash points (at least %d inside a batch) over %d seeds", points, inBatch, len(seeds))
}
