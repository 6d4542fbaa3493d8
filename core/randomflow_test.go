package durable_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
	"github.com/durable-go/durable-go/core/protocol"
)

// Random workflows for the crash-consistency, soak and replay tests: a
// seed generates a small program of durable operations (steps of both
// semantics, failing steps, waits, callbacks, nested child contexts, maps
// and parallels with completion configs), which flowHandler interprets.
// Every value a program computes depends only on its seed, so two runs of
// one program must agree on the result and on every completed operation.

type nodeKind int

const (
	nodeStep nodeKind = iota
	nodeFail          // a step that fails without retry (only inside batch items)
	nodeWait
	nodeCallback
	nodeChild
	nodeMap
	nodeParallel
)

type flowNode struct {
	kind        nodeKind
	amo         bool
	seconds     int
	body        []flowNode   // child context and map item program
	branches    [][]flowNode // parallel branches
	items       int
	completion  int // index into flowCompletions
	concurrency int
}

// flowCompletions: only the first never completes a batch early, so it
// alone may run items concurrently; with the others which items finish
// first would depend on scheduling, so they run one item at a time.
var flowCompletions = [][]durable.BatchOption{
	{durable.WithToleratedFailurePercentage(100)},
	{durable.WithToleratedFailures(0), durable.WithToleratedFailurePercentage(0)},
	{durable.WithMinSuccessful(1)},
	{durable.WithToleratedFailures(1)},
}

func genFlow(seed uint64) []flowNode {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	return genSeq(r, 0, false)
}

func genSeq(r *rand.Rand, depth int, inBatch bool) []flowNode {
	n := 1 + r.IntN(4)
	seq := make([]flowNode, 0, n)
	for range n {
		seq = append(seq, genNode(r, depth, inBatch))
	}
	return seq
}

func genNode(r *rand.Rand, depth int, inBatch bool) flowNode {
	for {
		switch p := r.IntN(100); {
		case p < 35:
			return flowNode{kind: nodeStep, amo: r.IntN(2) == 0}
		case p < 45:
			if inBatch {
				return flowNode{kind: nodeFail}
			}
		case p < 55:
			return flowNode{kind: nodeWait, seconds: 1 + r.IntN(5)}
		case p < 65:
			return flowNode{kind: nodeCallback}
		case p < 77:
			if depth < 3 {
				return flowNode{kind: nodeChild, body: genSeq(r, depth+1, inBatch)}
			}
		case p < 89:
			if depth < 2 {
				n := flowNode{kind: nodeMap, items: 1 + r.IntN(5), completion: r.IntN(len(flowCompletions)), body: genSeq(r, depth+1, true)}
				n.concurrency = batchConcurrency(r, n.completion)
				return n
			}
		default:
			if depth < 2 {
				n := flowNode{kind: nodeParallel, completion: r.IntN(len(flowCompletions))}
				for range 1 + r.IntN(3) {
					n.branches = append(n.branches, genSeq(r, depth+1, true))
				}
				n.concurrency = batchConcurrency(r, n.completion)
				return n
			}
		}
	}
}

func batchConcurrency(r *rand.Rand, completion int) int {
	if completion != 0 {
		return 1
	}
	return r.IntN(3) // 0: unbounded
}

// flowRuns counts step body executions by operation id and attempt.
type flowRuns struct {
	mu   sync.Mutex
	runs map[string]int // "id/attempt" -> count, at-most-once steps only
}

func (f *flowRuns) add(sc *durable.StepContext) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.runs == nil {
		f.runs = map[string]int{}
	}
	f.runs[fmt.Sprintf("%s/%d", sc.OperationID(), sc.Attempt())]++
}

// repeated returns the at-most-once attempts whose body ran more than once.
func (f *flowRuns) repeated() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k, n := range f.runs {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s ran %d times", k, n))
		}
	}
	sort.Strings(out)
	return out
}

func flowHandler(prog []flowNode, runs *flowRuns) *durable.Function {
	return durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return runFlow(ctx, prog, "n", 0, runs)
	})
}

var errFlowStep = errors.New("planned step failure")

func runFlow(ctx *durable.Context, seq []flowNode, path string, item int, runs *flowRuns) (string, error) {
	var out []string
	for i, n := range seq {
		name := fmt.Sprintf("%s.%d", path, i)
		var v string
		var err error
		switch n.kind {
		case nodeStep:
			var opts []durable.StepOption
			if n.amo {
				opts = append(opts, durable.WithAtMostOncePerRetry())
			}
			v, err = durable.Step(ctx, name, func(sc *durable.StepContext) (string, error) {
				if n.amo {
					runs.add(sc)
				}
				flowWork(sc, name, item)
				return fmt.Sprintf("%s#%d", name, item), nil
			}, opts...)
		case nodeFail:
			_, err = durable.Step(ctx, name, func(*durable.StepContext) (string, error) {
				return "", errFlowStep
			}, durable.WithRetryStrategy(durable.NoRetry))
		case nodeWait:
			err = durable.Wait(ctx, name, time.Duration(n.seconds)*time.Second)
			v = "w"
		case nodeCallback:
			v, err = durable.WaitForCallback[string](ctx, name, func(*durable.StepContext, string) error { return nil })
		case nodeChild:
			v, err = durable.RunInChildContext(ctx, name, func(c *durable.Context) (string, error) {
				return runFlow(c, n.body, name, item, runs)
			})
		case nodeMap:
			items := make([]int, n.items)
			for j := range items {
				items[j] = item*10 + j
			}
			var res *durable.BatchResult[string]
			res, err = durable.Map(ctx, name, items, func(c *durable.Context, it, _ int, _ []int) (string, error) {
				return runFlow(c, n.body, name, it, runs)
			}, batchOptions(n)...)
			if err == nil {
				v = summarize(res)
			}
		case nodeParallel:
			branches := make([]durable.Branch[string], len(n.branches))
			for j, b := range n.branches {
				branches[j] = durable.Branch[string]{Func: func(c *durable.Context) (string, error) {
					return runFlow(c, b, fmt.Sprintf("%s.b%d", name, j), item, runs)
				}}
			}
			var res *durable.BatchResult[string]
			res, err = durable.Parallel(ctx, name, branches, batchOptions(n)...)
			if err == nil {
				v = summarize(res)
			}
		}
		if err != nil {
			return "", err
		}
		out = append(out, v)
	}
	return strings.Join(out, ","), nil
}

func batchOptions(n flowNode) []durable.BatchOption {
	opts := append([]durable.BatchOption(nil), flowCompletions[n.completion]...)
	if n.concurrency > 0 {
		opts = append(opts, durable.WithMaxConcurrency(n.concurrency))
	}
	return opts
}

func summarize(res *durable.BatchResult[string]) string {
	parts := []string{string(res.CompletionReason)}
	for _, it := range res.All {
		s := fmt.Sprintf("%d:%s:%s", it.Index, it.Status, it.Result)
		if it.Error != nil {
			s += ":" + it.Error.ErrorType
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// driveFlow runs an execution to its end, completing each callback it
// waits for with a result derived from the callback's id.
func driveFlow(ctx context.Context, exec *durabletest.Execution) error {
	for range 1000 {
		err := exec.RunToCompletion(ctx)
		if !errors.Is(err, durabletest.ErrBlocked) {
			return err
		}
		sent := 0
		for _, cb := range exec.Callbacks() {
			if cb.Status != protocol.StatusStarted || cb.CallbackDetails == nil {
				continue
			}
			id := cb.CallbackDetails.CallbackID
			if err := exec.SendCallbackSuccess(ctx, id, []byte("cb:"+cb.ID[:8])); err != nil {
				return err
			}
			sent++
		}
		if sent == 0 {
			return err
		}
	}
	return errors.New("the execution kept blocking on callbacks")
}
