package durable

import (
	"errors"
)

// Sentinel errors users can test with errors.Is.
var (
	// ErrInvalidInput reports execution input that does not decode into the
	// handler's input type.
	ErrInvalidInput = errors.New("durable: invalid execution input")
	// ErrExecutionTerminal reports a checkpoint attempted after the
	// execution has already completed.
	ErrExecutionTerminal = errors.New("durable: execution is already terminal")
	// ErrInvalidArgument reports a bad argument to a durable operation
	// (a wait shorter than a second, a non-positive concurrency, an
	// operation name that is not 1-256 printable ASCII characters, ...).
	ErrInvalidArgument = errors.New("durable: invalid argument")
	// ErrSerialization reports a value that could not be (de)serialized.
	ErrSerialization = errors.New("durable: serialization failed")
	// ErrPayloadTooLarge reports a payload larger than the durable
	// execution service stores: a step's result, a WaitForCondition state
	// or a child context's WithResultSummary summary over 1 MiB (the
	// operation fails with it, an
	// *OperationError that matches it with errors.Is, on the first run and
	// on replay), an Invoke input over 1 MiB (Invoke returns it and
	// checkpoints nothing), or a handler result over 6 MiB (the execution
	// fails with it, ErrorType "PayloadTooLargeError"). Sizes are the bytes
	// of the serialized payload; the message names the call, the size and
	// the limit.
	ErrPayloadTooLarge error = payloadTooLarge{}
	// ErrBatchConfig reports an invalid Map or Parallel configuration.
	ErrBatchConfig = errors.New("durable: invalid batch configuration")
	// ErrConcurrentUse reports durable operations started concurrently on one
	// Context, which would make operation ids depend on goroutine scheduling.
	ErrConcurrentUse = errors.New("durable: concurrent operations on one Context; use Map or Parallel for concurrency")
	// ErrWaitExhausted is returned (wrapped) when a wait strategy gives up
	// before the condition is met.
	ErrWaitExhausted = errors.New("durable: wait for condition exhausted its attempts")
	// ErrStepInterrupted is the error an at-most-once attempt fails with when
	// a crash interrupted it; its checkpointed ErrorType is
	// "StepInterruptedError". The *OperationError of a step that failed this
	// way matches it with errors.Is, on the first run and on replay.
	ErrStepInterrupted error = stepInterrupted{}

	// Misuse of a Context: each of the next three is wrapped in an error
	// (ErrorType "MisuseError") whose message names the operation and what
	// to do instead; the call returns it and the
	// execution fails with it (FAILED, not retried: the handler's code must
	// change), whatever the handler returns afterwards. Operations started
	// after a misuse return the same error without doing anything.

	// ErrWrongGoroutine reports a durable operation called from a goroutine
	// the runtime did not give the Context to: a go statement or errgroup
	// in the handler, or a map item or parallel branch using its parent's
	// Context. Start concurrent durable work with Map or Parallel, and use
	// the Context each function receives.
	ErrWrongGoroutine = errors.New("called from a goroutine that does not own this Context")
	// ErrContextInUse reports a durable operation called on a Context
	// while one of its own operations (a child context, map or parallel)
	// is still running on the same goroutine: the function given to
	// RunInChildContext used its parent's Context instead of the one it
	// received.
	ErrContextInUse = errors.New("called on a parent Context inside its child's function")
	// ErrContextDone reports a durable operation called on a Context whose
	// function has returned (the handler, a child context, a map item or a
	// parallel branch), for example from a goroutine that outlived it. A
	// StepContext's Go context is cancelled with this cause once the step
	// body returns.
	ErrContextDone = errors.New("called on a Context whose function has returned")

	// ErrSuspending is returned by a durable operation called in a
	// deferred function while its function suspends (Go runs deferred
	// calls on the suspension's runtime.Goexit) or the invocation fails:
	// the operation does nothing, and the execution goes on. The deferred
	// call runs again when the function returns, in a later invocation or,
	// for a map item or parallel branch resumed in the same invocation, in
	// this one, and the operation runs then, once.
	ErrSuspending = errors.New("called while its function is suspending")
)

// payloadTooLarge is ErrPayloadTooLarge; its ErrorType travels in the
// checkpointed ErrorObject, which lets OperationError.Is recognise it.
type payloadTooLarge struct{}

func (payloadTooLarge) Error() string     { return "durable: payload too large" }
func (payloadTooLarge) ErrorType() string { return "PayloadTooLargeError" }
