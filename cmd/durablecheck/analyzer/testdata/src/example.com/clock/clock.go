// Package clock declares a function-valued field and sets it itself:
// durable code in the packages importing it that calls the field is
// reported there, through the field's fact.
package clock

import "time"

// Clock reads the time through Now.
type Clock struct {
	Now func() time.Time // want Now:"nondeterminism: clock.Clock.Now → time.Now"
}

// System is the wall clock.
func System() Clock { return Clock{Now: time.Now} }
