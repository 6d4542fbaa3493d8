package shipping

import (
	"sort"

	durable "github.com/durable-go/durable-go/core"
)

// carriersOf is the pre-maps.Keys helper: the keys in the map's order.
func carriersOf(rates map[string]int) []string {
	var out []string
	for c := range rates {
		out = append(out, c)
	}
	return out
}

// sortedCarriers sorts them before returning.
func sortedCarriers(rates map[string]int) []string {
	out := make([]string, 0, len(rates))
	for c := range rates {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// drain collects a channel's values in arrival order.
func drain[T any](ch <-chan T) []T {
	var out []T
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// Collected: slices the package's helpers return in a map's or a
// channel's order drive operations like the slices collected in place.
func Collected(ctx *durable.Context, rates map[string]int) error {
	for _, c := range carriersOf(rates) { // want `maprange: range over carriersOf\(...\), collected from a map in its random order`
		_ = book(ctx, quote{carrier: c})
	}
	cs := carriersOf(rates)
	for _, c := range cs { // want `maprange: range over cs, collected from a map in its random order`
		_ = book(ctx, quote{carrier: c})
	}
	for _, c := range sortedCarriers(rates) {
		_ = book(ctx, quote{carrier: c})
	}
	ordered := carriersOf(rates)
	sort.Strings(ordered)
	for _, c := range ordered {
		_ = book(ctx, quote{carrier: c})
	}
	got := drain(scattered(ordered))
	_, err := durable.Map(ctx, "book", got, func(c *durable.Context, q quote, _ int, _ []quote) (bool, error) { // want `chanrange: durable.Map over got, collected from a channel in the order its values arrived`
		return true, book(c, q)
	})
	for _, q := range drain(quoteStream(ctx.Context(), ordered)) { // a generator filling it in order: fine
		_ = book(ctx, q)
	}
	return err
}

// Drained: a helper draining a channel fed by goroutines.
func Drained(ctx *durable.Context, cs []string) {
	for _, q := range drain(scattered(cs)) { // want `chanrange: range over drain\(...\), collected from a channel in the order its values arrived`
		_ = book(ctx, q)
	}
}

// MappedKeys: durable.Map over a keys helper's result.
func MappedKeys(ctx *durable.Context, rates map[string]int) error {
	_, err := durable.Map(ctx, "book", carriersOf(rates), func(c *durable.Context, cr string, _ int, _ []string) (bool, error) { // want `maprange: durable.Map over carriersOf\(...\), collected from a map in its random order`
		return true, book(c, quote{carrier: cr})
	})
	if err != nil {
		return err
	}
	_, err = durable.Map(ctx, "sorted", sortedCarriers(rates), func(c *durable.Context, cr string, _ int, _ []string) (bool, error) {
		return true, book(c, quote{carrier: cr})
	})
	return err
}
