package durable

import (
	"fmt"
	"strconv"

	"github.com/durable-go/durable-go/core/protocol"
)

// Map runs fn for every item, each in its own child context (SubType
// MapIteration) on its own goroutine, and returns their outcomes as a
// BatchResult. Item i's operation id derives from its index, so ids do not
// depend on scheduling. By default every item runs at once and the first
// failure completes the map (fail-fast); see WithMaxConcurrency,
// WithMinSuccessful, WithToleratedFailures and
// WithToleratedFailurePercentage. The map itself succeeds even when items fail.
func Map[In, Out any](ctx *Context, name string, items []In, fn func(ctx *Context, item In, index int, items []In) (Out, error), opts ...BatchOption) (*BatchResult[Out], error) {
	var cfg batchConfig
	for _, o := range opts {
		o.applyBatch(&cfg)
	}
	completion := completionConfig{}
	if cfg.completion != nil {
		completion = *cfg.completion
	}
	if cfg.itemName != nil {
		for i := range items {
			if err := checkName(protocol.SubTypeMapIteration, cfg.itemName(i)); err != nil {
				return nil, fmt.Errorf("%w (item %d of Map %q)", err, i, name)
			}
		}
	}
	b := &batch[Out]{
		ctx: ctx, o: ctx.begin(protocol.OperationTypeContext, protocol.SubTypeMap, name), cfg: cfg,
		completion: completion, itemSubType: protocol.SubTypeMapIteration, n: len(items),
		item: func(i int) (string, func(*Context) (Out, error)) {
			name := "map-item-" + strconv.Itoa(i)
			if cfg.itemName != nil {
				name = cfg.itemName(i)
			}
			return name, func(c *Context) (Out, error) { return fn(c, items[i], i, items) }
		},
	}
	return runBatch(b)
}
