package durable

import (
	"runtime"

	"github.com/durable-go/durable-go/core/logsink"
)

// The rules that turn a call's args into a Record's attributes are
// internal/logattr's, shared with package logsink.

// callerPC returns the program counter skip frames above its caller.
func callerPC(skip int) uintptr {
	var pcs [1]uintptr
	runtime.Callers(skip+2, pcs[:])
	return pcs[0]
}

// reportsCaller reports whether l asks for Record.PC.
func reportsCaller(l any) bool {
	c, ok := l.(logsink.CallerReporter)
	return ok && c.ReportsCaller()
}
