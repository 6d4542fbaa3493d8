package shipping

import (
	"context"

	durable "github.com/durable-go/durable-go/core"
)

// Pipeline: one stage goroutine sends in its own order, giving up when
// the invocation's context is cancelled (the pipeline idiom of the Go
// blog): the handler receives the values in that order.
func Pipeline(ctx *durable.Context, carriers []string) error {
	quotes := make(chan quote)
	go func() {
		defer close(quotes)
		for _, c := range carriers {
			q, err := fetchQuote(ctx.Context(), c)
			if err != nil {
				return
			}
			select {
			case quotes <- q:
			case <-ctx.Context().Done():
				return
			}
		}
	}()
	for q := range quotes {
		if err := book(ctx, q); err != nil {
			return err
		}
	}
	return ctx.Context().Err()
}

// Stage is the same stage with the done channel of the caller.
func Stage(ctx *durable.Context, carriers []string, done <-chan struct{}) error {
	out := make(chan quote)
	go func() {
		defer close(out)
		for _, c := range carriers {
			q, _ := fetchQuote(context.Background(), c)
			select {
			case out <- q:
			case <-done:
				return
			}
		}
	}()
	var got []quote
	for q := range out {
		got = append(got, q)
	}
	for _, q := range got {
		_ = book(ctx, q)
	}
	return nil
}
