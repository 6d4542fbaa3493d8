package main

import (
	"time"

	"example.com/shipping"
)

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() } // want Now:"nondeterminism: main.realClock.Now → time.Now"

// wireMore sets the clock through method values and assignments.
func wireMore() {
	var rc realClock
	_ = &shipping.Service{Now: rc.Now}          // want `nondeterminism: time.Now in durable code \(via main.realClock.Now, set here as shipping.Service.Now`
	_ = &shipping.Service{Now: realClock{}.Now} // want `nondeterminism: time.Now in durable code \(via main.realClock.Now, set here as shipping.Service.Now`
	s := shipping.Service{}
	s.Now = time.Now // want `nondeterminism: time.Now in durable code \(set here as shipping.Service.Now`
	var s2 shipping.Service
	s2.Now = time.Now // want `nondeterminism: time.Now in durable code \(set here as shipping.Service.Now`
	_, _ = s, s2
}
