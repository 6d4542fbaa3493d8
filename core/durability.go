package durable

import "time"

// WithCheckpointWindow lets Step return before the outcome of an
// at-least-once step is checkpointed: outcomes wait in a queue for up to d
// and go to the service with the updates that follow them, so sequential
// steps between two waits cost one checkpoint call instead of one each.
// This opens the durability window (see the package documentation): a
// crash loses the outcomes still queued, and their steps run again
// although they had returned and later steps may have acted on their
// results. Use it for handlers whose steps return the same result when run
// again, and mark the others WithStepSync.
//
// Without it (or with d <= 0), Step returns once the step's outcome is
// checkpointed, as the protocol specifies: a step that returned never runs
// again. Concurrent map items and parallel branches still share checkpoint
// calls either way.
func WithCheckpointWindow(d time.Duration) Option {
	return func(c *config) { c.window = max(d, 0) }
}

// WithStepSync makes Step return only once the step's outcome is
// checkpointed, in a handler that opened a durability window with
// WithCheckpointWindow: its body never runs again after Step returned,
// even if the invocation crashes right after. Use it on a step whose
// result later steps' side effects depend on and whose body may return
// something else when run again, such as one generating an idempotency
// key: without it, a crash in a later step can re-run this one, and the
// later step then runs with a new key.
func WithStepSync() StepOption {
	return stepOption(func(c *stepConfig) { c.sync = true })
}

// checkpointDelay is how long a queued update may wait before it is sent:
// the durability window's length, or for the updates the protocol always
// lets go asynchronously (an at-least-once step's START, a child
// context's START) defaultMaxCheckpointDelay.
func (c *config) checkpointDelay() time.Duration {
	if c.window > 0 {
		return c.window
	}
	return defaultMaxCheckpointDelay
}
