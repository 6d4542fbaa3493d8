// Package main wires package shipping's service to the real clock.
package main

import (
	"time"

	"example.com/shipping"
	durable "github.com/durable-go/durable-go/core"
)

func main() {
	wireMore()
	s := &shipping.Service{
		Now:   time.Now, // want `nondeterminism: time.Now in durable code \(set here as shipping.Service.Now, which shipping.Service.Deadline at service.go:29 calls outside a step\)`
		Stamp: time.Now, // read in a step body only
	}
	_ = durable.Handler(s.Ship)
	_ = durable.Handler(s.Deadline)
	n := &shipping.Notifier{Sent: time.Now, Backoff: time.Now, Polled: time.Now, Later: time.Now}
	_ = durable.Handler(n.Notify)
}
