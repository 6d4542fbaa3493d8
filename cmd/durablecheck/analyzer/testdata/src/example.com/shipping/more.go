package shipping

import (
	"context"
	"sort"
	"sync"

	durable "github.com/durable-go/durable-go/core"
)

type byPrice []quote

func (b byPrice) Len() int           { return len(b) }
func (b byPrice) Less(i, j int) bool { return b[i].price < b[j].price }
func (b byPrice) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// Indexed: results received into a slice by index (got[i] = <-results)
// keep their arrival order: reported unless sorted.
func Indexed(ctx *durable.Context, carriers []string) error {
	results := make(chan quote, len(carriers))
	for _, c := range carriers {
		go func() { q, _ := fetchQuote(context.Background(), c); results <- q }()
	}
	got := make([]quote, len(carriers))
	for i := range got {
		got[i] = <-results
	}
	for _, q := range got { // want `chanrange: range over got, collected from a channel in the order its values arrived`
		_ = book(ctx, q)
	}
	sorted := make([]quote, len(carriers))
	for i := range sorted {
		sorted[i] = <-results
	}
	sort.Sort(byPrice(sorted))
	futures := make([]chan quote, len(carriers))
	for i, c := range carriers {
		futures[i] = make(chan quote, 1)
		go func() { futures[i] <- price(c) }()
	}
	awaited := make([]quote, len(futures))
	for i := range futures {
		awaited[i] = <-futures[i]
	}
	for _, q := range awaited {
		_ = book(ctx, q)
	}
	for _, q := range sorted {
		_ = book(ctx, q)
	}
	return nil
}

// SelectDefault: a select polling errors, the operation after it.
func SelectDefault(ctx *durable.Context, carriers []string) error {
	errs := make(chan error, 1)
	go func() { errs <- nil }()
	for _, c := range carriers {
		select {
		case err := <-errs:
			if err != nil {
				return err
			}
		default:
		}
		_ = book(ctx, quote{carrier: c})
	}
	var m sync.Map
	var keys []string
	m.Range(func(k, _ any) bool { keys = append(keys, k.(string)); return true })
	sort.Strings(keys)
	for _, k := range keys {
		_ = book(ctx, quote{carrier: k})
	}
	return nil
}

type fetcher struct{ carriers []string }

func (f *fetcher) all(sc *durable.StepContext) ([]quote, error) {
	ch := make(chan quote)
	for _, c := range f.carriers {
		go func() { ch <- price(c) }()
	}
	var out []quote
	for range f.carriers {
		out = append(out, <-ch)
	}
	return out, nil
}

// MethodStep: a method value as the step body.
func MethodStep(ctx *durable.Context, carriers []string) error {
	f := &fetcher{carriers: carriers}
	quotes, err := durable.Step(ctx, "all", f.all)
	for _, q := range quotes {
		_ = book(ctx, q)
	}
	return err
}
