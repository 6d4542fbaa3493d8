package nondeterminism

import (
	"math/rand"
	"time"

	"example.com/helpers"
	durable "github.com/durable-go/durable-go/core"
	"github.com/google/uuid"
)

// Deps are injected: main sets them to the production functions.
type Deps struct {
	Now   func() time.Time // want Now:"nondeterminism: nondeterminism.Deps.Now → time.Now" Now:"nondeterminism.Deps.Now called in durable code .nondeterminism.Deps.Handle at deps.go:42."
	NewID func() string    // want NewID:"nondeterminism: nondeterminism.Deps.NewID → uuid.NewString" NewID:"nondeterminism.Deps.NewID called in durable code"
	Roll  func(int) int    // want Roll:"nondeterminism: nondeterminism.Deps.Roll → rand.Intn" Roll:"nondeterminism.Deps.Roll called in durable code"
	Clock helpers.Clocks
}

// NewDeps is the constructor main calls.
func NewDeps(now func() time.Time, newID func() string) *Deps { // want NewDeps:"parameter 0 stored in nondeterminism.Deps.Now called in durable code .nondeterminism.Deps.Handle at deps.go:42.; parameter 1 stored in nondeterminism.Deps.NewID"
	return &Deps{Now: now, NewID: newID}
}

// SetRoll sets the dice.
func (d *Deps) SetRoll(roll func(int) int) { d.Roll = roll } // want SetRoll:"parameter 0 stored in nondeterminism.Deps.Roll called in durable code"

func main() {
	d := NewDeps(time.Now, uuid.NewString)
	d.SetRoll(rand.Intn)
	d.Clock = helpers.Clocks{Now: time.Now}
	_ = durable.Handler(d.Handle)
	_ = durable.Handler(d.InSteps)
}

// unkeyed is set positionally.
type unkeyed struct{ Now func() time.Time } // want Now:"nondeterminism: nondeterminism.unkeyed.Now → time.Now" Now:"nondeterminism.unkeyed.Now called in durable code"

func positional() unkeyed { return unkeyed{time.Now} }

func (d *Deps) Handle(ctx *durable.Context, in string) (string, error) { // want Handle:"runs no durable operation"
	at := d.Now()        // want `nondeterminism: time.Now in durable code \(via nondeterminism.Deps.Now\) returns a different value on replay`
	id := d.NewID()      // want `nondeterminism: uuid.NewString in durable code \(via nondeterminism.Deps.NewID\)`
	n := d.Roll(6)       // want `nondeterminism: rand.Intn in durable code \(via nondeterminism.Deps.Roll\)`
	_ = d.Clock.Now()    // want `nondeterminism: time.Now in durable code \(via helpers.Clocks.Now\)`
	_ = positional().Now // a value, not a call
	var u unkeyed
	_ = u.Now() // want `nondeterminism: time.Now in durable code \(via nondeterminism.unkeyed.Now\)`
	return at.String() + id + string(rune(n)), nil
}

// InSteps calls the fields only in step bodies: nothing to report.
func (d *Deps) InSteps(ctx *durable.Context, in string) (string, error) {
	at, err := durable.Step(ctx, "now", func(*durable.StepContext) (time.Time, error) { return d.Now(), nil })
	if err != nil {
		return "", err
	}
	id, err := durable.Step(ctx, "id", func(*durable.StepContext) (string, error) { return d.NewID() + d.Clock.Now().String(), nil })
	return at.String() + id, err
}
