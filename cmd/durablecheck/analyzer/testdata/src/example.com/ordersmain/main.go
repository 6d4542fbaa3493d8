// Package main wires the handler of package orders: what it sets the
// fields durable code calls to is reported here.
package main

import (
	"math/rand"
	"time"

	"example.com/helpers"
	"example.com/orders"
	durable "github.com/durable-go/durable-go/core"
	"github.com/google/uuid"
)

func main() {
	d := &orders.Deps{
		Now:   time.Now,       // want `nondeterminism: time.Now in durable code \(set here as orders.Deps.Now, which orders.Deps.Handle at orders.go:47 calls outside a step\) returns a different value on replay`
		NewID: uuid.NewString, // want `nondeterminism: uuid.NewString in durable code \(set here as orders.Deps.NewID, which orders.Deps.Handle at orders.go:48 through orders.Deps.label calls outside a step\)`
		Quiet: time.Now,       // suppressed where durable code calls it
		Stamp: time.Now,       // called only in a step body
	}
	d.SetSeed(rand.Int63)                          // want `nondeterminism: rand.Int63 in durable code \(set here as orders.Deps.Seed`
	d.SetStamp(time.Now)                           // called only in a step body
	d.Clocks = helpers.Clocks{Now: time.Now}       // not followed: see the README's Limitations
	d.Now = stamp                                  // want `nondeterminism: time.Now in durable code \(via main.stamp, set here as orders.Deps.Now`
	_ = orders.New(time.Now)                       // want `nondeterminism: time.Now in durable code \(set here as orders.Deps.started`
	_ = wire(time.Now)                             // want `nondeterminism: time.Now in durable code \(set here as orders.Deps.Now`
	_ = wire(fixed)                                // a fixed clock: nothing to report
	d.Now = func() time.Time { return time.Now() } // a function literal is not followed
	_ = durable.Handler(d.Handle)
	_ = orders.Box[string]{Make: uuid.NewString} // want `nondeterminism: uuid.NewString in durable code \(set here as orders.Box.Make, which orders.Open at orders.go:65 calls outside a step\)`
}

func stamp() time.Time { return time.Now() }

func fixed() time.Time { return time.Unix(0, 0) }

// wire hands its parameter on to the field.
func wire(now func() time.Time) orders.Deps { return orders.Deps{Now: now} }
