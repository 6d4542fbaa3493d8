package shipping

import (
	"sync"

	durable "github.com/durable-go/durable-go/core"
	"golang.org/x/sync/errgroup"
)

func lookupLogged(ctx *durable.Context, c string) quote {
	ctx.Logger().Info("looking up", "carrier", c)
	return price(c)
}

// LoggedFanOut: goroutines in durable code handed the context for logging only.
func LoggedFanOut(ctx *durable.Context, carriers []string) error {
	var g errgroup.Group
	quotes := make([]quote, len(carriers))
	for i, c := range carriers {
		g.Go(func() error {
			quotes[i] = lookupLogged(ctx, c)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	best := map[string]quote{}
	for _, c := range carriers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := lookupLogged(ctx, c)
			mu.Lock()
			best[c] = q
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, c := range carriers {
		_ = book(ctx, best[c])
	}
	var once sync.Once
	once.Do(func() { ctx.Logger().Info("first") })
	results := make(chan quote, len(carriers))
	for _, c := range carriers {
		go func() { results <- lookupLogged(ctx, c) }()
	}
	total := 0
	for q := range results {
		total += q.price
		if total > 100 {
			break
		}
	}
	_ = book(ctx, quote{price: total})
	return nil
}

// itemBooker returns a map item function: durable code where Map runs
// it, so a channel fed by goroutines driving its operations is reported.
func itemBooker() func(*durable.Context, []string, int, [][]string) (int, error) {
	return func(c *durable.Context, carriers []string, _ int, _ [][]string) (int, error) {
		found := make(chan quote)
		for _, cr := range carriers {
			go func() { found <- price(cr) }()
		}
		for q := range found { // want `chanrange: range over a channel runs durable operations`
			_ = book(c, q)
		}
		return 0, nil
	}
}

func inChild[T any](ctx *durable.Context, name string, f func(*durable.Context) (T, error)) (T, error) {
	return durable.RunInChildContext(ctx, name, f)
}

type batch struct{ carriers []string }

func (b *batch) bookAll(c *durable.Context) (int, error) {
	found := make(chan quote)
	for _, cr := range b.carriers {
		go func() { found <- price(cr) }()
	}
	for q := range found { // want `chanrange: range over a channel runs durable operations`
		_ = book(c, q)
	}
	return 0, nil
}

// Returned: item functions a helper returns, children through a generic
// wrapper, a method value as the child.
func Returned(ctx *durable.Context, orders [][]string) error {
	if _, err := durable.Map(ctx, "orders", orders, itemBooker()); err != nil {
		return err
	}
	b := &batch{carriers: orders[0]}
	if _, err := inChild(ctx, "all", b.bookAll); err != nil {
		return err
	}
	_, err := inChild(ctx, "first", func(c *durable.Context) (int, error) {
		for q := range scattered(orders[0]) { // want `chanrange: range over a channel runs durable operations`
			_ = book(c, q)
		}
		for q := range quoteStream(c.Context(), orders[0]) {
			_ = book(c, q)
		}
		return 0, nil
	})
	return err
}
