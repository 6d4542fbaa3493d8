package concurrency

import (
	"sync"
	"time"

	durable "github.com/durable-go/durable-go/core"
	"golang.org/x/sync/errgroup"
)

type poller struct{ ctx *durable.Context }

func (p *poller) poll() error { return durable.Wait(p.ctx, "poll", time.Second) }

func (p *poller) idle() error { return nil }

// Values: a function handed to Go or Do by name runs there as a literal
// would.
func Values(ctx *durable.Context) error {
	pause := func() error { return durable.Wait(ctx, "pause", time.Second) }
	var g errgroup.Group
	g.Go(pause) // want `concurrency: errgroup.Group.Go runs durable operations on another goroutine`
	p := &poller{ctx: ctx}
	g.Go(p.poll) // want `concurrency: errgroup.Group.Go runs durable operations on another goroutine`
	g.Go(p.idle)
	var once sync.Once
	once.Do(func() { _ = pause() }) // want `concurrency: sync.Once.Do runs durable operations once per process`
	return g.Wait()
}
