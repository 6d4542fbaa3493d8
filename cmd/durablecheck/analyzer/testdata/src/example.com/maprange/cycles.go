package maprange

import durable "github.com/durable-go/durable-go/core"

// Cycles: slices filled from each other, and channels whose senders
// range over each other, must not send the analyzer round in circles.
func Cycles(ctx *durable.Context, seed []string) {
	var a, b []string
	a = append(a, seed...)
	for _, k := range a {
		b = append(b, k)
	}
	for _, k := range b {
		a = append(a, k)
	}
	for _, k := range a {
		_ = charge(ctx, k)
	}
	x, y := make(chan string), make(chan string)
	go func() {
		for k := range y {
			x <- k
		}
	}()
	go func() {
		for k := range x {
			y <- k
		}
	}()
	for k := range x { // want `chanrange: range over a channel runs durable operations`
		_ = charge(ctx, k)
	}
}
