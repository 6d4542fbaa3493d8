package transitive

import (
	"os"
	"time"

	"example.com/helpers"
	durable "github.com/durable-go/durable-go/core"
)

// Clock is what the handlers read the time from.
type Clock interface{ Now() time.Time }

// realClock is the clock in production.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() } // want Now:"nondeterminism: transitive.realClock.Now → time.Now"

// fixedClock is the clock in tests.
type fixedClock struct{ t time.Time }

func (f fixedClock) Now() time.Time { return f.t }

// Store keeps orders; helpers.FileStore is one.
type Store interface {
	Load(id string) (string, error)
}

type service struct {
	clock Clock
	store Store
}

// Injected: a dependency called through an interface of the module runs
// whichever implementation the module has.
func (s *service) Injected(ctx *durable.Context, id string) (string, error) { // want Injected:"runs no durable operation"
	at := s.clock.Now()        // want `nondeterminism: time.Now in durable code \(via transitive.realClock.Now\)`
	v, err := s.store.Load(id) // want `nondeterminism: os.ReadFile in durable code \(via helpers.FileStore.Load\)`
	if err != nil {
		return "", err
	}
	now := time.Now
	_ = now() // want `nondeterminism: time.Now in durable code \(via now\)`
	getenv := os.Getenv
	return v + at.String() + getenv("X"), nil // want `nondeterminism: os.Getenv in durable code \(via getenv\)`
}

var _ = &service{clock: realClock{}, store: helpers.FileStore{}}
