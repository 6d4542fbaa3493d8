//go:build amd64 || arm64

package durable

// cheapGoroutineID says curGoroutine costs a few nanoseconds, so replayed
// operations check their goroutine too.
const cheapGoroutineID = true

// curGoroutine returns an identifier of the calling goroutine: the address
// of its runtime descriptor (goroutine_amd64.s, goroutine_arm64.s). It is
// unique among live goroutines, which is all the owner check of a Context
// needs (the owner is alive while its Context is not done). The value is
// never dereferenced.
func curGoroutine() uintptr
