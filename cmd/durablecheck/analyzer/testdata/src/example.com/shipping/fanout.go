// Package shipping is a set of realistic durable handlers using Go's
// concurrency idioms: fan-out in step bodies, channels collected and
// sorted, semaphores, done and error channels, worker pools keyed by
// index, futures. Only the cases marked want are replay bugs.
package shipping

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"golang.org/x/sync/errgroup"
)

type quote struct {
	carrier string
	price   int
}

func fetchQuote(_ context.Context, carrier string) (quote, error) {
	return quote{carrier: carrier, price: len(carrier)}, nil
}

func book(ctx *durable.Context, q quote) error {
	_, err := durable.Step(ctx, "book-"+q.carrier, func(*durable.StepContext) (bool, error) { return true, nil })
	return err
}

// StepFanOut fans out inside one step body: the step is one operation
// and its result is checkpointed, so the order the goroutines finish in
// does not matter to replay.
func StepFanOut(ctx *durable.Context, carriers []string) error {
	quotes, err := durable.Step(ctx, "quotes", func(sc *durable.StepContext) ([]quote, error) {
		var g errgroup.Group
		found := make(chan quote, len(carriers))
		for _, c := range carriers {
			g.Go(func() error {
				q, err := fetchQuote(sc.Context(), c)
				if err == nil {
					found <- q
				}
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		close(found)
		var out []quote
		for q := range found {
			out = append(out, q)
		}
		return out, nil
	})
	if err != nil {
		return err
	}
	// The step's result is recorded: its order is the same on replay.
	for _, q := range quotes {
		if err := book(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// StepWaitGroup: a WaitGroup, a mutex and time.Tick in a step body.
func StepWaitGroup(ctx *durable.Context, carriers []string) (int, error) {
	return durable.Step(ctx, "poll", func(sc *durable.StepContext) (int, error) {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			total int
		)
		for _, c := range carriers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q, _ := fetchQuote(sc.Context(), c)
				mu.Lock()
				total += q.price
				mu.Unlock()
			}()
		}
		wg.Wait()
		n := 0
		for range time.Tick(time.Millisecond) {
			if n++; n == 3 {
				break
			}
		}
		select {
		case <-sc.Context().Done():
			return 0, sc.Context().Err()
		default:
		}
		return total, nil
	})
}

// SortedQuotes: quotes gathered from goroutines in arrival order, then
// sorted by a key before booking: the order is the program's.
func SortedQuotes(ctx *durable.Context, carriers []string) error {
	results := make(chan quote, len(carriers))
	for _, c := range carriers {
		go func() {
			q, _ := fetchQuote(context.Background(), c)
			results <- q
		}()
	}
	var bySlice, byFunc, byStable []quote
	for range carriers {
		q := <-results
		bySlice = append(bySlice, q)
		byFunc = append(byFunc, q)
		byStable = append(byStable, q)
	}
	sort.Slice(bySlice, func(i, j int) bool { return bySlice[i].carrier < bySlice[j].carrier })
	for _, q := range bySlice {
		_ = book(ctx, q)
	}
	slices.SortFunc(byFunc, func(a, b quote) int { return cmp.Compare(a.carrier, b.carrier) })
	for _, q := range byFunc {
		_ = book(ctx, q)
	}
	sort.SliceStable(byStable, func(i, j int) bool { return byStable[i].price < byStable[j].price })
	_, err := durable.Map(ctx, "book", byStable, func(c *durable.Context, q quote, _ int, _ []quote) (bool, error) {
		return true, book(c, q)
	})
	return err
}

// Semaphore: a buffered channel bounds the goroutines looking quotes up;
// results land by index; done and error channels; a context.Done select
// returning. The operations run in the order of carriers.
func Semaphore(ctx *durable.Context, carriers []string) error {
	sem := make(chan struct{}, 4)
	quotes := make([]quote, len(carriers))
	errs := make(chan error, len(carriers))
	var wg sync.WaitGroup
	for i, c := range carriers {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			q, err := fetchQuote(context.Background(), c)
			if err != nil {
				errs <- err
				return
			}
			quotes[i] = q
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done); close(errs) }()
	select {
	case <-done:
	case <-ctx.Context().Done():
		return ctx.Context().Err()
	}
	for err := range errs {
		if err != nil {
			return err
		}
	}
	for _, q := range quotes {
		if err := book(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// WorkerPool: workers put results in a map keyed by index; the handler
// books them in index order.
func WorkerPool(ctx *durable.Context, carriers []string) error {
	type job struct {
		i int
		c string
	}
	type result struct {
		i int
		q quote
	}
	jobs := make(chan job)
	results := make(chan result)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				q, _ := fetchQuote(context.Background(), j.c)
				results <- result{j.i, q}
			}
		}()
	}
	go func() {
		for i, c := range carriers {
			jobs <- job{i, c}
		}
		close(jobs)
	}()
	go func() { wg.Wait(); close(results) }()
	byIndex := map[int]quote{}
	for r := range results {
		byIndex[r.i] = r.q
	}
	for i := range carriers {
		if err := book(ctx, byIndex[i]); err != nil {
			return err
		}
	}
	for i := 0; i < len(byIndex); i++ {
		_ = book(ctx, byIndex[i])
	}
	return nil
}

// Futures: one channel per carrier, each receiving one value, awaited in
// the carriers' order: the results keep that order.
func Futures(ctx *durable.Context, carriers []string) error {
	futures := make([]chan quote, len(carriers))
	for i, c := range carriers {
		futures[i] = make(chan quote, 1)
		go func() {
			q, _ := fetchQuote(context.Background(), c)
			futures[i] <- q
		}()
	}
	var got []quote
	for _, f := range futures {
		got = append(got, <-f)
	}
	for _, q := range got {
		_ = book(ctx, q)
	}
	var indexed []quote
	for i := range futures {
		indexed = append(indexed, <-futures[i])
	}
	_, err := durable.Map(ctx, "book", indexed, func(c *durable.Context, q quote, _ int, _ []quote) (bool, error) {
		return true, book(c, q)
	})
	if err != nil {
		return err
	}
	// Awaited in a select with the handler's cancellation: the same.
	var awaited []quote
	for i := range futures {
		select {
		case q := <-futures[i]:
			awaited = append(awaited, q)
		case <-ctx.Context().Done():
			return ctx.Context().Err()
		}
	}
	for _, q := range awaited {
		_ = book(ctx, q)
	}
	return nil
}

// Arrival: the order results arrive in drives the bookings: reported.
func Arrival(ctx *durable.Context, carriers []string) error {
	results := make(chan quote, len(carriers))
	for _, c := range carriers {
		go func() {
			q, _ := fetchQuote(context.Background(), c)
			results <- q
		}()
	}
	var got []quote
	for range carriers {
		select {
		case q := <-results:
			got = append(got, q)
		case <-ctx.Context().Done():
			return ctx.Context().Err()
		}
	}
	for _, q := range got { // want `chanrange: range over got, collected from a channel in the order its values arrived`
		_ = book(ctx, q)
	}
	return nil
}
