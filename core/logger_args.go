package durable

import (
	"log/slog"
	"runtime"
	"sync"

	"github.com/durable-go/durable-go/core/logsink"
)

// The rules that turn a call's args into a Record's attributes are
// internal/logattr's, shared with package logsink.

// recordPool recycles the Records handed to Emitters.
var recordPool = sync.Pool{New: func() any { return &logsink.Record{Attrs: make([]slog.Attr, 0, 16)} }}

// maxPooled keeps one huge call from pinning a large buffer in the pool.
const maxPooled = 256

func getRecord(level Level, msg string) *logsink.Record {
	r := recordPool.Get().(*logsink.Record)
	r.Level, r.Message = level, msg
	return r
}

func putRecord(r *logsink.Record) {
	if cap(r.Attrs) > maxPooled {
		return
	}
	clear(r.Attrs)
	*r = logsink.Record{Attrs: r.Attrs[:0]}
	recordPool.Put(r)
}

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
