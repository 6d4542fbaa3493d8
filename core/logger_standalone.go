package durable

import "context"

// replayFunc adapts a function to replaySource.
type replayFunc func() bool

func (f replayFunc) isReplaying() bool { return f() }

// NewLogger returns a Logger over sink outside any durable invocation, with
// the same gates as Context.Logger: the AWS_LAMBDA_LOG_LEVEL level, then
// replaying, asked at every call (nil means never replaying), under the
// WithReplayLogs mode among opts. It serves tests and benchmarks of
// LoggerInterface implementations, and code that wants the same gating
// elsewhere. Only the logging options among opts apply.
func NewLogger(sink LoggerInterface, replaying func() bool, opts ...Option) Logger {
	cfg := newConfig(opts)
	var rs replaySource
	if replaying != nil {
		rs = replayFunc(replaying)
	}
	return newLogScope(context.Background(), &cfg.logging, sink, enrichment{}, rs, nil).logger()
}
