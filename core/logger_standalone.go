package durable

import (
	"context"

	"github.com/durable-go/durable-go/core/internal/loghook"
)

// replayFunc adapts a function to replaySource.
type replayFunc func() bool

func (f replayFunc) isReplaying() bool { return f() }

// newStandaloneLogger returns a Logger over sink outside any durable
// invocation, with the same gates as Context.Logger. Package logtest
// exports it as logtest.NewLogger, for tests and benchmarks of
// LoggerInterface implementations.
func newStandaloneLogger(sink LoggerInterface, replaying func() bool, opts ...Option) Logger {
	cfg := newConfig(opts)
	var rs replaySource
	if replaying != nil {
		rs = replayFunc(replaying)
	}
	return newLogScope(context.Background(), &cfg.logging, sink, enrichment{}, rs, nil).logger()
}

func init() {
	loghook.NewLogger = func(sink any, replaying func() bool, opts []any) any {
		s, _ := sink.(LoggerInterface)
		o := make([]Option, len(opts))
		for i, opt := range opts {
			o[i] = opt.(Option)
		}
		return newStandaloneLogger(s, replaying, o...)
	}
}
