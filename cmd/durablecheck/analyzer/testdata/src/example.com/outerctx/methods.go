package outerctx

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// A saga keeps the handler's context in a field; its children are
// methods.
type saga struct {
	ctx   *durable.Context
	child *durable.Context
}

func (s *saga) Run(ctx *durable.Context, items []string) (int, error) {
	s.ctx = ctx
	if err := durable.Wait(s.ctx, "start", time.Second); err != nil {
		return 0, err
	}
	if _, err := durable.Map(ctx, "items", items, s.item); err != nil {
		return 0, err
	}
	_, _ = durable.RunInChildContext(ctx, "own", s.own)
	return durable.RunInChildContext(ctx, "undo", s.undo)
}

// undo runs as a child: the saga's context is its parent's.
func (s *saga) undo(c *durable.Context) (int, error) {
	return 0, durable.Wait(s.ctx, "undo", time.Second) // want `outerctx: ctx is a captured outer durable context.*use the function's own context parameter$`
}

// item runs as a map item.
func (s *saga) item(c *durable.Context, it string, _ int, _ []string) (int, error) {
	s.ctx.Logger().Info("item", "it", it) // want `outerctx: ctx is a captured outer durable context`
	return len(it), nil
}

// own keeps its own context in a field, and uses it.
func (s *saga) own(c *durable.Context) (int, error) {
	s.child = c
	return 0, durable.Wait(s.child, "own", time.Second)
}

// Rekept: a child storing the parent's context in a field keeps no
// context of its own there.
func Rekept(ctx *durable.Context, s *saga) (int, error) {
	return durable.RunInChildContext(ctx, "rekept", func(c *durable.Context) (int, error) {
		s.ctx = ctx
		return 0, durable.Wait(s.ctx, "nap", time.Second) // want `outerctx: ctx is a captured outer durable context`
	})
}
