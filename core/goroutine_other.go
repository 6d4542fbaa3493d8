//go:build !amd64 && !arm64

package durable

import "runtime"

// cheapGoroutineID is false here: curGoroutine formats a stack header, a
// few microseconds, so only operations that checkpoint check their
// goroutine (replayed ones were checked when they first ran).
const cheapGoroutineID = false

// curGoroutine returns the calling goroutine's number, read from the
// header runtime.Stack writes ("goroutine 42 [running]:").
func curGoroutine() uintptr {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	var id uintptr
	for _, ch := range b[len("goroutine "):] {
		if ch < '0' || ch > '9' {
			break
		}
		id = id*10 + uintptr(ch-'0')
	}
	return id
}
