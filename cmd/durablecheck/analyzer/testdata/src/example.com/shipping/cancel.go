package shipping

import (
	durable "github.com/durable-go/durable-go/core"
)

// Cancellable: a select whose other cases give up when the invocation's
// context is cancelled, returning, waits for one thing: the operations
// of its one other case run unless the invocation ends, in the same
// order on replay.
func Cancellable(ctx *durable.Context, carriers []string) error {
	for _, c := range carriers {
		select {
		case <-ctx.Context().Done():
			return ctx.Context().Err()
		default:
			if err := book(ctx, quote{carrier: c}); err != nil {
				return err
			}
		}
	}
	one := make(chan quote, 1)
	go func() { one <- price(carriers[0]) }()
	select {
	case q := <-one:
		if err := book(ctx, q); err != nil {
			return err
		}
	case <-ctx.Context().Done():
		return ctx.Context().Err()
	}

	// Two cases running operations, or a cancellation that goes on to
	// the operations after the select, are timing's.
	other := make(chan quote, 1)
	go func() { other <- price(carriers[1]) }()
	select { // want `concurrency: select picks its case by timing`
	case q := <-one:
		_ = book(ctx, q)
	case q := <-other:
		_ = book(ctx, q)
	case <-ctx.Context().Done():
		return ctx.Context().Err()
	}
	select { // want `concurrency: select picks its case by timing`
	case <-ctx.Context().Done():
	default:
		_ = book(ctx, quote{carrier: "late"})
	}
	select { // want `concurrency: select picks its case by timing`
	case <-ctx.Context().Done():
		_ = book(ctx, quote{carrier: "cancelled"})
		return nil
	default:
		_ = book(ctx, quote{carrier: "on time"})
	}
	// A loop receiving, in arrival order, values goroutines send, and
	// running operations with them: the cancellation aside, a range over
	// the channel.
	results := make(chan quote, len(carriers))
	for _, c := range carriers {
		go func() { results <- price(c) }()
	}
	for range carriers {
		select { // want `concurrency: select picks its case by timing`
		case q := <-results:
			_ = book(ctx, q)
		case <-ctx.Context().Done():
			return ctx.Context().Err()
		}
	}
	return book(ctx, quote{carrier: "last"})
}
