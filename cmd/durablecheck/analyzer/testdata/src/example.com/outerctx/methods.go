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
		s.ctx = ctx                                       // want `stepcapture: the child function assigns s`
		return 0, durable.Wait(s.ctx, "nap", time.Second) // want `outerctx: ctx is a captured outer durable context`
	})
}

// pause runs an operation on the saga's context.
func (s *saga) pause() error { return durable.Wait(s.ctx, "pause", time.Second) }

func (s *saga) Pauses(ctx *durable.Context, items []string) error {
	s.ctx = ctx
	if err := s.pause(); err != nil {
		return err
	}
	for k := range map[string]bool{} { // want `maprange: range over a map runs durable operations`
		_ = k
		_ = s.pause()
	}
	_, err := durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
		return 0, s.pause() // want `outerctx: outerctx.saga.pause runs durable operations on s.ctx, a durable context from outside this child, map item or branch function`
	})
	return err
}

// NewSaga: a handler making its saga with its own context runs the
// saga's methods on that context.
var NewSaga = durable.Handler(func(ctx *durable.Context, id string) (int, error) {
	s := &saga{ctx: ctx}
	if err := s.pause(); err != nil {
		return 0, err
	}
	return durable.RunInChildContext(ctx, "child", func(c *durable.Context) (int, error) {
		_, err := durable.Step(c, "inner", func(*durable.StepContext) (int, error) {
			return 0, s.pause() // want `stepctx: the step body calls outerctx.saga.pause`
		})
		return 0, err
	})
})

// InlineHelpers: a closure taking a context, called in place by the
// function that declares it, runs on that function's context: using the
// captured one there is the same context.
func InlineHelpers(ctx *durable.Context, ids []string) error {
	charge := func(c *durable.Context, id string) error {
		c.Logger().Info("charging", "id", id)
		return durable.Wait(ctx, "charge-"+id, time.Second)
	}
	for _, id := range ids {
		if err := charge(ctx, id); err != nil {
			return err
		}
	}
	// Called from a child, it runs the operation on its parent's context.
	wait := func(c *durable.Context) error {
		return durable.Wait(ctx, "w", time.Second) // want `outerctx: ctx is a captured outer durable context`
	}
	_, err := durable.RunInChildContext(ctx, "child2", func(c *durable.Context) (int, error) {
		return 0, wait(c)
	})
	return err
}
