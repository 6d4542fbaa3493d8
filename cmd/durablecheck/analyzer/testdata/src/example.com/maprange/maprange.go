// Package maprange: rule maprange.
package maprange

import (
	"maps"
	"slices"
	"strings"

	durable "github.com/durable-go/durable-go/core"
)

func Handler(ctx *durable.Context, prices map[string]int) (int, error) {
	total := 0
	for name, p := range prices { // want `maprange: range over a map runs durable operations in random order, so a replay meets them in another order; range over sorted keys`
		n, err := durable.Step(ctx, "price-"+name, func(*durable.StepContext) (int, error) { return p, nil })
		if err != nil {
			return 0, err
		}
		total += n
	}
	for name := range maps.Keys(prices) { // want `maprange: range over maps.Keys runs durable operations`
		if err := charge(ctx, name); err != nil {
			return 0, err
		}
	}
	for name := range prices { // want `maprange: range over a map runs durable operations`
		cb, err := durable.CreateCallback[int](ctx, "price-"+name)
		if err != nil {
			return 0, err
		}
		_ = cb.ID()
	}
	type byName map[string]bool
	for range (byName{}) { // want `maprange: range over a map`
		_, _ = durable.RunInChildContext(ctx, "", func(c *durable.Context) (int, error) { return 0, nil })
	}

	// Sorted keys are fine; so is a map range without durable operations.
	for _, name := range slices.Sorted(maps.Keys(prices)) {
		if err := charge(ctx, name); err != nil {
			return 0, err
		}
	}
	for name, p := range prices {
		total += len(strings.ToUpper(name)) + p
	}
	// A helper handed the context that only logs through it starts no
	// operation.
	for name, p := range prices {
		logPrice(ctx, name, p)
	}
	return total, nil
}

// charge runs operations on the context it is given.
func charge(ctx *durable.Context, name string) error {
	_, err := durable.Step(ctx, "charge-"+name, func(*durable.StepContext) (bool, error) { return true, nil })
	return err
}

// logPrice logs through the durable context's Logger, when it has one.
func logPrice(ctx *durable.Context, name string, p int) {
	if ctx == nil || nil == ctx {
		return
	}
	ctx.Logger().Info("price", "name", name, "price", p)
}

// Closures handed the context: one that only logs through it runs no
// operation; one that runs one, or keeps the context, may.
func Closures(ctx *durable.Context, prices map[string]int) error {
	logPrice := func(c *durable.Context, name string, p int) {
		c.Logger().Info("price", "name", name, "price", p)
	}
	charge := func(c *durable.Context, name string) error {
		_, err := durable.Step(c, "charge-"+name, func(*durable.StepContext) (bool, error) { return true, nil })
		return err
	}
	var kept []*durable.Context
	keep := func(c *durable.Context) { kept = append(kept, c) }
	for name, p := range prices {
		logPrice(ctx, name, p)
	}
	for name := range prices { // want `maprange: range over a map runs durable operations`
		if err := charge(ctx, name); err != nil {
			return err
		}
	}
	for range prices { // want `maprange: range over a map runs durable operations`
		keep(ctx)
	}
	holder := map[string]*durable.Context{}
	hold := func(c *durable.Context) { holder["kept"] = c }
	for range prices { // want `maprange: range over a map runs durable operations`
		hold(ctx)
	}
	_ = kept
	return nil
}
