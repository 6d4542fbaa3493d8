package shipping

import (
	"context"
	"slices"

	durable "github.com/durable-go/durable-go/core"
)

// InMapItem: a map item function is durable code: a channel fed by
// goroutines ranged over with operations is reported there too; sorted
// first, it is not.
func InMapItem(ctx *durable.Context, orders [][]string) error {
	_, err := durable.Map(ctx, "orders", orders, func(c *durable.Context, carriers []string, _ int, _ [][]string) (int, error) {
		found := make(chan quote)
		for _, cr := range carriers {
			go func() {
				q, _ := fetchQuote(context.Background(), cr)
				found <- q
			}()
		}
		var got []quote
		for range carriers {
			got = append(got, <-found)
		}
		slices.SortFunc(got, func(a, b quote) int { return a.price - b.price })
		for _, q := range got {
			_ = book(c, q)
		}
		more := make(chan quote)
		for _, cr := range carriers {
			go func() { more <- quote{carrier: cr} }()
		}
		for q := range more { // want `chanrange: range over a channel runs durable operations`
			_ = book(c, q)
		}
		return len(got), nil
	})
	return err
}

// InChild: the same in a child's body.
func InChild(ctx *durable.Context, carriers []string) (int, error) {
	return durable.RunInChildContext(ctx, "quotes", func(c *durable.Context) (int, error) {
		found := make(chan quote, len(carriers))
		for _, cr := range carriers {
			go func() { found <- quote{carrier: cr} }()
		}
		for q := range found { // want `chanrange: range over a channel runs durable operations`
			_ = book(c, q)
		}
		return 0, nil
	})
}

// InSubmitter: the submitter runs once per attempt, like a step body:
// its goroutines and channels are not the handler's.
func InSubmitter(ctx *durable.Context, carriers []string) (string, error) {
	return durable.WaitForCallback[string](ctx, "approval", func(sc *durable.StepContext, id string) error {
		sent := make(chan error, len(carriers))
		for _, cr := range carriers {
			go func() { _, err := fetchQuote(sc.Context(), cr+id); sent <- err }()
		}
		for range carriers {
			if err := <-sent; err != nil {
				return err
			}
		}
		var got []error
		for err := range sent {
			got = append(got, err)
		}
		for _, err := range got {
			_ = err
		}
		return nil
	})
}
