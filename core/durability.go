package durable

import "time"

// The durability window
//
// A checkpoint call is a network round trip to the durable service. To
// save most of them, the outcome of an at-least-once step (the default
// semantics) is queued, not awaited: Step returns as soon as the outcome
// is queued, and the code after it runs while the update waits to be sent
// in one batch with the ones that follow. The queue is sent, in order,
//   - before any update the code must wait for: an at-most-once step's
//     START or outcome, a wait, a callback, a chained invoke, a retry, a
//     child context's or batch's result;
//   - when the invocation ends (returns, fails or suspends): nothing is
//     ever returned to Lambda with updates still queued;
//   - when a batch is full (250 updates or 750 KiB);
//   - when the oldest queued update has waited the maximum checkpoint
//     delay (DefaultMaxCheckpointDelay, one second; WithMaxCheckpointDelay).
//
// The window is what a crash can lose: the steps whose outcome was queued
// but not yet sent, at most the work of one maximum checkpoint delay
// between two synchronous operations. After such a crash those steps run
// again on the next invocation, which at-least-once semantics allows, and
// the lines they and the code after them logged print again. Nothing
// outside the window re-runs, and no step is ever recorded twice.
//
// Code that must not re-run a step's body once it returned (a non-
// idempotent call whose effect is not otherwise recorded) uses
// WithStepSync for that step, AtMostOncePerRetry semantics, or
// WithSyncCheckpoints for the whole handler.

// WithSyncCheckpoints makes every step wait until its outcome is
// checkpointed before Step returns, as the protocol's reference SDK does:
// no durability window, one round trip per step. See WithStepSync for one
// step.
func WithSyncCheckpoints() Option { return func(c *config) { c.syncCheckpoints = true } }

// WithMaxCheckpointDelay bounds how long a queued step outcome may wait
// before it is sent (default DefaultMaxCheckpointDelay). A shorter delay
// narrows the durability window at the cost of more checkpoint calls while
// code runs long between durable operations; 0 sends each queued update as
// soon as the previous call returns, without making the code wait.
func WithMaxCheckpointDelay(d time.Duration) Option {
	return func(c *config) { c.maxCheckpointDelay = max(d, 0) }
}

// WithStepSync makes Step return only once the step's outcome is
// checkpointed: its body never runs again after Step returned, even if
// the invocation crashes right after. See WithSyncCheckpoints.
func WithStepSync() StepOption {
	return stepOption(func(c *stepConfig) { c.sync = true })
}
