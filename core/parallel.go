package durable

import (
	"fmt"
	"strconv"

	"github.com/durable-go/durable-go/core/protocol"
)

// Branch is one branch of Parallel. Name is optional (default
// "parallel-branch-<index>").
type Branch[T any] struct {
	Name string
	Func func(*Context) (T, error)
}

// Parallel runs the branches concurrently, each in its own child context
// (SubType ParallelBranch) on its own goroutine, and returns their
// outcomes as a BatchResult. By default all branches must succeed: the
// first failure completes the batch. See WithMaxConcurrency,
// WithMinSuccessful, WithToleratedFailures and
// WithToleratedFailurePercentage.
func Parallel[T any](ctx *Context, name string, branches []Branch[T], opts ...BatchOption) (*BatchResult[T], error) {
	var cfg batchConfig
	for _, o := range opts {
		o.applyBatch(&cfg)
	}
	completion := allSuccessful()
	if cfg.completion != nil {
		completion = *cfg.completion
	}
	for i, br := range branches {
		if err := checkName(protocol.SubTypeParallelBranch, br.Name); err != nil {
			return nil, fmt.Errorf("%w (branch %d of Parallel %q)", err, i, name)
		}
	}
	b := &batch[T]{
		ctx: ctx, o: ctx.begin(protocol.OperationTypeContext, protocol.SubTypeParallel, name), cfg: cfg,
		completion: completion, itemSubType: protocol.SubTypeParallelBranch, n: len(branches),
		item: func(i int) (string, func(*Context) (T, error)) {
			name := branches[i].Name
			if name == "" {
				name = "parallel-branch-" + strconv.Itoa(i)
			}
			return name, branches[i].Func
		},
	}
	return runBatch(b)
}
