//go:build ignore

// Stubs for blocks that show a handler's setup around an elided handler: the order
// types every README uses.
package main

type (
	Order   struct{ ID string }
	Receipt struct{}
)
