package shipping

import (
	"context"
	"sync"

	durable "github.com/durable-go/durable-go/core"
)

// gather runs f over items on goroutines and returns the results in the
// items' order.
func gather[T, R any](items []T, f func(T) R) []R {
	out := make([]R, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(it)
		}()
	}
	wg.Wait()
	return out
}

func price(c string) quote { q, _ := fetchQuote(context.Background(), c); return q }

// Generic: a generic fan-out helper keeping the order, a method value,
// a closure a helper returns.
func Generic(ctx *durable.Context, carriers []string) error {
	for _, q := range gather(carriers, price) {
		_ = book(ctx, q)
	}
	b := booker{ctx: ctx}
	for _, q := range gather(carriers, price) {
		_ = b.book(q)
	}
	fetch := batched(carriers)
	quotes, err := durable.Step(ctx, "fetch", func(*durable.StepContext) ([]quote, error) { return fetch(), nil })
	for _, q := range quotes {
		_ = book(ctx, q)
	}
	return err
}

type booker struct{ ctx *durable.Context }

func (b booker) book(q quote) error { return book(b.ctx, q) }

// batched returns a function fanning out over carriers, collecting in
// arrival order: it runs in the step body.
func batched(carriers []string) func() []quote {
	return func() []quote {
		ch := make(chan quote, len(carriers))
		for _, c := range carriers {
			go func() { ch <- price(c) }()
		}
		var out []quote
		for range carriers {
			out = append(out, <-ch)
		}
		return out
	}
}
