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
)
