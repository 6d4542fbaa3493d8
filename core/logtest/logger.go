package logtest

import (
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/internal/loghook"
)

// NewLogger returns a durable.Logger over sink outside any durable
// invocation, with the gates of Context.Logger: the level (WithLogLevel
// among opts, else AWS_LAMBDA_LOG_LEVEL when set), then replaying, asked
// at every call (nil means never replaying), under the WithReplayLogs
// mode among opts. Only the logging options among opts apply. It serves
// tests and benchmarks of LoggerInterface implementations
// (CompareWithNative logs through it); a nil sink means the default
// logger.
func NewLogger(sink durable.LoggerInterface, replaying func() bool, opts ...durable.Option) durable.Logger {
	o := make([]any, len(opts))
	for i, opt := range opts {
		o[i] = opt
	}
	return loghook.NewLogger(sink, replaying, o).(durable.Logger)
}
