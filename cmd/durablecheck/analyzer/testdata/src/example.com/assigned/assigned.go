// Package assigned: closures stored in a variable declared first and
// assigned once with =, the way a recursive closure must be written,
// are step code when only step bodies call them, like fetch := func...
package assigned

import (
	"math/rand"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

func Handler(ctx *durable.Context, id string) (string, error) {
	var fetch func() (string, error)
	fetch = func() (string, error) { return os.Getenv("URL") + id, nil }
	var depth func(n int) int
	depth = func(n int) int {
		if n > 0 {
			return depth(n - 1)
		}
		return rand.Int()
	}
	s, err := durable.Step(ctx, "fetch", func(*durable.StepContext) (string, error) {
		_ = depth(3)
		return fetch()
	})
	return s, err
}

// Reassigned: a variable assigned twice may hold either closure where it
// is called, so both stay durable code.
func Reassigned(ctx *durable.Context, fast bool) (string, error) {
	var now func() time.Time
	now = func() time.Time {
		return time.Now() // want `nondeterminism: time.Now in durable code`
	}
	if fast {
		now = func() time.Time {
			return time.Now().UTC() // want `nondeterminism: time.Now in durable code`
		}
	}
	later := func() time.Time {
		return time.Now() // want `nondeterminism: time.Now in durable code`
	}
	later = func() time.Time {
		return time.Now().Add(time.Hour) // want `nondeterminism: time.Now in durable code`
	}
	return durable.Step(ctx, "now", func(*durable.StepContext) (string, error) { return now().String() + later().String(), nil })
}

// Captured: step code assigning a variable of durable code is reported
// as a step body assigning it.
func Captured(ctx *durable.Context) (string, error) {
	var status string
	var set func()
	set = func() {
		status = "set" // want `stepcapture: the step body assigns status`
	}
	_, err := durable.Step(ctx, "set", func(*durable.StepContext) (bool, error) { set(); return true, nil })
	return status, err
}

// Ranged: a closure assigned once that runs operations, called in a
// range over a map, runs them in random order.
func Ranged(ctx *durable.Context, m map[string]int) error {
	var charge func(k string) error
	charge = func(k string) error {
		_, err := durable.Step(ctx, "charge-"+k, func(*durable.StepContext) (bool, error) { return true, nil })
		return err
	}
	for k := range m { // want `maprange: range over a map runs durable operations`
		if err := charge(k); err != nil {
			return err
		}
	}
	return nil
}
