package handlers

import (
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
)

// parallelEntries returns the handlers of the parallel suite (requirement ids 8-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func parallelEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"8-1":  handlerEntry(parallelSteps),
		"8-2":  handlerEntry(parallelOrdered("", constBranch("alpha"), constBranch("beta"))),
		"8-4":  handlerEntry(parallelOrdered[any]("hetero", constBranch[any]("hello"), constBranch[any](42), constBranch[any](map[string]any{"k": "v"}))),
		"8-5":  handlerEntry(parallelOrdered[string]("empty")),
		"8-6":  handlerEntry(parallelProjection("failfast", "SFS", tolerateCount(0))),
		"8-7":  handlerEntry(parallelErr),
		"8-9":  handlerEntry(parallelProjection("tolerated", "SFS", tolerateCount(1))),
		"8-10": handlerEntry(withoutStatus(parallelProjection("tolerated-exceeded", "FFS", tolerateCount(1)))),
		"8-11": handlerEntry(parallelConcurrent),
		"8-12": handlerEntry(parallelFlat),
		"8-14": handlerEntry(parallelReplay),
		"8-15": handlerEntry(parallelItemSerdes),
		"8-16": handlerEntry(parallelProjection("all-fail", "FFF", tolerateCount(3))),
		"8-17": handlerEntry(parallelProjection("min-not-reached", "SFS", durable.WithMinSuccessful(3))),
		"8-19": handlerEntry(parallelBadConcurrency),
		"8-20": handlerEntry(parallelAccessors),
		"8-21": handlerEntry(parallelNested),
		"8-22": handlerEntry(parallelProjection("pct-boundary", "FSSS", tolerancePercent(25))),
	}
}

// parallelOrdered returns a handler running the branches sequentially in a
// parallel named name and returning the successful results in index order
// (8-2, 8-4, 8-5).
func parallelOrdered[T any](name string, branches ...durable.Branch[T]) func(*durable.Context, any) ([]T, error) {
	return func(ctx *durable.Context, _ any) ([]T, error) {
		res, err := durable.Parallel(ctx, name, branches, durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return orderedResults(res), nil
	}
}

// parallelSteps: two branches, each one step, run in order (8-1).
func parallelSteps(ctx *durable.Context, in any) ([]string, error) {
	return parallelOrdered("parallel", stepBranch("task-1", "task-1"), stepBranch("task-2", "task-2"))(ctx, in)
}

// parallelProjection returns a handler running branches shaped by pattern
// (see branchPlan) under cc and returning the batch projection (8-6, 8-9,
// 8-10, 8-16, 8-17, 8-22).
func parallelProjection(name, pattern string, cc durable.BatchOption) func(*durable.Context, any) (batchProjection, error) {
	return func(ctx *durable.Context, _ any) (batchProjection, error) {
		res, err := durable.Parallel(ctx, name, branchPlan(pattern), durable.WithMaxConcurrency(1), cc)
		if err != nil {
			return batchProjection{}, err
		}
		return projectBatch(res), nil
	}
}

// withoutStatus drops the overall status from a projection handler's result
// (8-10 projects only the reason and counts).
func withoutStatus(h func(*durable.Context, any) (batchProjection, error)) func(*durable.Context, any) (batchProjection, error) {
	return func(ctx *durable.Context, in any) (batchProjection, error) {
		p, err := h(ctx, in)
		p.Status = ""
		return p, err
	}
}

// parallelErr: the first branch fails and BatchResult.Err fails the
// execution (8-7).
func parallelErr(ctx *durable.Context, _ any) ([]string, error) {
	res, err := durable.Parallel(ctx, "throwing", branchPlan("FS"), durable.WithMaxConcurrency(1), tolerateCount(0))
	if err != nil {
		return nil, err
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}

// parallelConcurrent: three branches with two in flight (8-11).
func parallelConcurrent(ctx *durable.Context, _ any) ([]string, error) {
	branches := []durable.Branch[string]{constBranch("r0"), constBranch("r1"), constBranch("r2")}
	res, err := durable.Parallel(ctx, "concurrent", branches, durable.WithMaxConcurrency(2))
	if err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}

// parallelFlat: branches in virtual contexts, steps parented to the
// Parallel itself (8-12).
func parallelFlat(ctx *durable.Context, _ any) ([]string, error) {
	branches := []durable.Branch[string]{stepBranch("fa", "fa"), stepBranch("fb", "fb")}
	res, err := durable.Parallel(ctx, "flat", branches, durable.WithMaxConcurrency(1), durable.WithFlatNesting())
	if err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}

// parallelReplay: branch 1 suspends on a wait; the resumed invocation
// reads branch 0 from its checkpoint (8-14).
func parallelReplay(ctx *durable.Context, _ any) ([]string, error) {
	waiting := durable.Branch[string]{Func: func(ctx *durable.Context) (string, error) {
		if err := durable.Wait(ctx, "", 2*time.Second); err != nil {
			return "", err
		}
		return "b1", nil
	}}
	branches := []durable.Branch[string]{stepBranch("b0", "b0"), waiting}
	res, err := durable.Parallel(ctx, "replay", branches, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}

// parallelItemSerdes: branch results checkpointed through a wrapping serde
// (8-15).
func parallelItemSerdes(ctx *durable.Context, _ any) ([]string, error) {
	branches := []durable.Branch[string]{constBranch("x"), constBranch("y")}
	res, err := durable.Parallel(ctx, "serde", branches, durable.WithMaxConcurrency(1), durable.WithItemSerdes(wrappingSerdes))
	if err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}

// parallelBadConcurrency: a max concurrency of 0 is rejected (8-19).
func parallelBadConcurrency(ctx *durable.Context, _ any) ([]string, error) {
	branches := []durable.Branch[string]{constBranch("a"), constBranch("b")}
	res, err := durable.Parallel(ctx, "bad-concurrency", branches, durable.WithMaxConcurrency(0))
	if err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}

// accessorProjection is what 8-20 returns.
type accessorProjection struct {
	HasFailure   bool `json:"hasFailure"`
	SuccessCount int  `json:"successCount"`
	FailureCount int  `json:"failureCount"`
	ErrorCount   int  `json:"errorCount"`
}

// parallelAccessors: counts derived from the batch result's lists (8-20).
func parallelAccessors(ctx *durable.Context, _ any) (accessorProjection, error) {
	res, err := durable.Parallel(ctx, "accessors", branchPlan("SFS"), durable.WithMaxConcurrency(1), tolerateCount(1))
	if err != nil {
		return accessorProjection{}, err
	}
	return accessorProjection{
		HasFailure:   res.HasFailure(),
		SuccessCount: len(res.Succeeded()),
		FailureCount: len(res.Failed()),
		ErrorCount:   len(res.Errors()),
	}, nil
}

// parallelNested: one outer branch running an inner parallel of two steps
// (8-21).
func parallelNested(ctx *durable.Context, _ any) ([][]string, error) {
	outer := durable.Branch[[]string]{Func: func(ctx *durable.Context) ([]string, error) {
		inner := []durable.Branch[string]{stepBranch("i1", "i1"), stepBranch("i2", "i2")}
		res, err := durable.Parallel(ctx, "inner", inner, durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return orderedResults(res), nil
	}}
	res, err := durable.Parallel(ctx, "outer", []durable.Branch[[]string]{outer}, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return orderedResults(res), nil
}
