package durable

import "time"

// WithSyncCheckpoints makes every step wait until its outcome is
// checkpointed before Step returns, as the protocol's reference SDK does:
// no durability window (see the package documentation), one round trip
// per step. See WithStepSync for one step.
func WithSyncCheckpoints() Option { return func(c *config) { c.syncCheckpoints = true } }

// WithMaxCheckpointDelay bounds how long a queued step outcome may wait
// before it is sent (default one second). A shorter delay
// narrows the durability window at the cost of more checkpoint calls while
// code runs long between durable operations; 0 sends each queued update as
// soon as the previous call returns, without making the code wait.
func WithMaxCheckpointDelay(d time.Duration) Option {
	return func(c *config) { c.maxCheckpointDelay = max(d, 0) }
}

// WithStepSync makes Step return only once the step's outcome is
// checkpointed: its body never runs again after Step returned, even if
// the invocation crashes right after. Use it on a step whose result later
// steps' side effects depend on and whose body may return something else
// when run again, such as one generating an idempotency key: without it, a
// crash in a later step can re-run this one, and the later step then runs
// with a new key (see the durability window in the package
// documentation). See WithSyncCheckpoints.
func WithStepSync() StepOption {
	return stepOption(func(c *stepConfig) { c.sync = true })
}
