// Package concurrency: rule concurrency.
package concurrency

import (
	"sync"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"golang.org/x/sync/errgroup"
)

func Handler(ctx *durable.Context, ids []string) ([]string, error) {
	out := make([]string, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() { // want `concurrency: a goroutine runs durable operations: an operation called from a goroutine other than its Context's own fails the execution with ErrWrongGoroutine; use durable.Map, durable.Parallel or durable.RunInChildContext`
			defer wg.Done()
			out[i], _ = durable.Step(ctx, id, func(*durable.StepContext) (string, error) { return id, nil })
		}()
	}
	wg.Wait()

	go notify(ctx, "started") // want `concurrency: a goroutine runs durable operations`

	cb, err := durable.CreateCallback[string](ctx, "approval")
	if err != nil {
		return nil, err
	}
	go func() { // want `concurrency: a goroutine runs durable operations`
		_, _ = cb.Result()
	}()
	go func() { _ = cb.ID() }() // reading the id waits on nothing

	var g errgroup.Group
	g.Go(func() error { // want `concurrency: errgroup.Group.Go runs durable operations on another goroutine, where they fail the execution with ErrWrongGoroutine; use durable.Map or durable.Parallel`
		return durable.Wait(ctx, "pause", time.Second)
	})
	_ = g.Wait()

	var once sync.Once
	once.Do(func() { // want `concurrency: sync.Once.Do runs durable operations once per process`
		_ = durable.Wait(ctx, "warmup", time.Second)
	})

	done := make(chan string)
	select { // want `concurrency: select picks its case by timing`
	case id := <-done:
		_, _ = durable.Invoke[string](ctx, "follow-up", "fn", id)
	case <-ctx.Context().Done():
	}

	// Goroutines and channels without durable operations are fine, and so
	// is concurrency inside a step body.
	results := make(chan int, 1)
	go func() { results <- len(ids) }()
	<-results
	_, _ = durable.Step(ctx, "fan-out", func(sc *durable.StepContext) (int, error) {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done() }()
		wg.Wait()
		return 0, nil
	})
	// The supported way: Map.
	_, err = durable.Map(ctx, "fetch", ids, func(item *durable.Context, id string, _ int, _ []string) (string, error) {
		return durable.Step(item, id, func(*durable.StepContext) (string, error) { return id, nil })
	})
	return out, err
}

func notify(ctx *durable.Context, what string) {
	_ = durable.Wait(ctx, what, time.Second)
}

// Closures and helpers: what the goroutine calls decides.
func Helpers(ctx *durable.Context, ids []string) error {
	charge := func(id string) error {
		_, err := durable.Step(ctx, "charge-"+id, func(*durable.StepContext) (bool, error) { return true, nil })
		return err
	}
	go charge(ids[0]) // want `concurrency: a goroutine runs durable operations`
	var g errgroup.Group
	g.Go(func() error { return charge(ids[1]) }) // want `concurrency: errgroup.Group.Go runs durable operations`
	go func() {                                  // want `concurrency: a goroutine runs durable operations`
		_ = charge(ids[2])
	}()
	go enqueue(ctx, ids) // want `concurrency: a goroutine runs durable operations`
	go keep(ctx)         // want `concurrency: a goroutine runs durable operations`

	// A helper handed the context that only logs through it, or reads its
	// context.Context, starts no durable operation.
	go progress(ctx, "started")
	g.Go(func() error { return progress(ctx, "running") })
	return g.Wait()
}

// progress logs through the durable context: no operation.
func progress(ctx *durable.Context, what string) error {
	ctx.Logger().Info("progress", "what", what)
	return ctx.Context().Err()
}

// enqueue reaches an operation through another helper.
func enqueue(ctx *durable.Context, ids []string) {
	for _, id := range ids {
		_ = progress(ctx, id)
		notify(ctx, id)
	}
}

// keep hands the context on in a way the analyzer does not follow.
func keep(ctx *durable.Context) {
	w := worker{ctx: ctx}
	w.run()
}

type worker struct{ ctx *durable.Context }

func (w worker) run() { _ = durable.Wait(w.ctx, "work", time.Second) }
