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

// quoteStream is a pipeline generator: one goroutine sends the quotes in
// the carriers' order.
func quoteStream(ctx context.Context, carriers []string) <-chan quote {
	out := make(chan quote)
	go func() {
		defer close(out)
		for _, c := range carriers {
			q, _ := fetchQuote(ctx, c)
			select {
			case out <- q:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// stream is a generic generator filling a buffered channel itself.
func stream[T any](xs []T) chan T {
	out := make(chan T, len(xs))
	for _, x := range xs {
		out <- x
	}
	close(out)
	return out
}

// scattered starts a goroutine per carrier: arrival order.
func scattered(carriers []string) <-chan quote {
	out := make(chan quote, len(carriers))
	for _, c := range carriers {
		go func() { out <- price(c) }()
	}
	return out
}

// lossy drops a quote when the handler is not ready for it: which ones
// arrive is timing's.
func lossy(carriers []string) <-chan quote {
	out := make(chan quote, 1)
	go func() {
		defer close(out)
		for _, c := range carriers {
			select {
			case out <- price(c):
			default:
			}
		}
	}()
	return out
}

// Lossy: reported.
func Lossy(ctx *durable.Context, carriers []string) {
	for q := range lossy(carriers) { // want `chanrange: range over a channel runs durable operations`
		_ = book(ctx, q)
	}
}

// Generators: channels the package's generators return, filled in order,
// keep it.
func Generators(ctx *durable.Context, carriers []string) error {
	for q := range quoteStream(ctx.Context(), carriers) {
		_ = book(ctx, q)
	}
	in := quoteStream(ctx.Context(), carriers)
	var got []quote
	for q := range in {
		got = append(got, q)
	}
	for _, q := range got {
		_ = book(ctx, q)
	}
	for c := range stream(carriers) {
		_ = book(ctx, quote{carrier: c})
	}
	for q := range scattered(carriers) { // want `chanrange: range over a channel runs durable operations`
		_ = book(ctx, q)
	}
	mixed := stream(carriers)
	go func() { mixed <- "late" }()
	for c := range mixed { // want `chanrange: range over a channel runs durable operations`
		_ = book(ctx, quote{carrier: c})
	}
	return nil
}
