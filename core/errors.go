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
	// (a wait shorter than a second, a non-positive concurrency, ...).
	ErrInvalidArgument = errors.New("durable: invalid argument")
	// ErrSerialization reports a value that could not be (de)serialized.
	ErrSerialization = errors.New("durable: serialization failed")
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
)
