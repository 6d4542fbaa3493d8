// Package orders calls function-valued fields in durable code; package
// ordersmain, which imports it, sets them: the findings are there, where
// the fields are set, through the facts of the fields and of the
// constructor and setter storing them.
package orders

import (
	"time"

	"example.com/clock"
	"example.com/helpers"
	durable "github.com/durable-go/durable-go/core"
)

// Deps are the injected functions.
type Deps struct {
	Now     func() time.Time // want Now:"orders.Deps.Now called in durable code .orders.Deps.Handle at orders.go:47."
	NewID   func() string    // want NewID:"orders.Deps.NewID called in durable code .orders.Deps.Handle at orders.go:48 through orders.Deps.label."
	Seed    func() int64     // want Seed:"orders.Deps.Seed called in durable code"
	Quiet   func() time.Time // want Quiet:"orders.Deps.Quiet called in durable code"
	Stamp   func() time.Time // called only in a step body: no fact
	Clocks  helpers.Clocks   // a field of another package's struct: no fact here
	Sys     clock.Clock
	started func() time.Time
}

// New stores its parameter in an unexported field durable code calls.
func New(started func() time.Time) *Deps { // want New:"parameter 0 stored in orders.Deps.started called in durable code"
	return &Deps{started: started}
}

// SetSeed sets Seed.
func (d *Deps) SetSeed(seed func() int64) { d.Seed = seed } // want SetSeed:"parameter 0 stored in orders.Deps.Seed called in durable code"

// SetStamp sets Stamp, which only step code calls.
func (d *Deps) SetStamp(stamp func() time.Time) { d.Stamp = stamp }

func (d *Deps) label() string { return d.NewID() }

// Handle is the durable handler.
func (d *Deps) Handle(ctx *durable.Context, in string) (string, error) {
	// The package sets none of its fields: nothing to report here.
	at, err := durable.Step(ctx, "stamp", func(*durable.StepContext) (time.Time, error) { return d.Stamp(), nil })
	if err != nil {
		return "", err
	}
	_ = d.Now()
	_ = d.label()
	_ = d.Seed()
	_ = d.started()
	_ = d.Quiet() //durable:ignore nondeterminism only reported as the handler's own latency
	_ = d.Clocks.Now()
	_ = d.Sys.Now() // want `nondeterminism: time.Now in durable code \(via clock.Clock.Now\) returns a different value on replay`
	return in + at.String(), nil
}

// Box is generic: the fact is on the field of the generic struct, not of
// one instance.
type Box[T any] struct {
	Make func() T // want Make:"orders.Box.Make called in durable code .orders.Open at orders.go:65."
}

// Open is durable code calling a Box's field.
func Open(ctx *durable.Context, b Box[string]) (string, error) { // want Open:"runs no durable operation"
	return b.Make(), nil
}
