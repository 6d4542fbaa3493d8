package durable

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinel errors users can test with errors.Is.
var (
	// ErrInvalidEvent reports a Lambda payload that is not a durable
	// invocation event (missing ARN or token, malformed JSON, no EXECUTION
	// operation).
	ErrInvalidEvent = errors.New("durable: invalid invocation event")
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

// APIError is an error answered by the durable execution service.
type APIError struct {
	Operation  string // API name, e.g. "CheckpointDurableExecution"
	Code       string // e.g. "InvalidParameterValueException"
	Message    string
	StatusCode int // HTTP status; 0 when unknown (network errors)
	Err        error
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("durable: ")
	b.WriteString(e.Operation)
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// Retryable classifies the error as the protocol prescribes (§4.3): KMS
// errors and 4xx other than 429 are terminal, except a stale checkpoint
// token; 429, 5xx, network and unknown errors are retryable.
func (e *APIError) Retryable() bool {
	if strings.HasPrefix(e.Code, "KMS") {
		return false
	}
	if e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests {
		return e.Code == "InvalidParameterValueException" &&
			strings.HasPrefix(strings.ToLower(e.Message), "invalid checkpoint token")
	}
	return true
}

// IsRetryable reports whether err, from a Service call, should end the
// invocation with a Lambda error so that the service re-invokes (true), or
// fail the execution (false). Errors that do not classify themselves are
// retryable, as the protocol treats unknown errors.
func IsRetryable(err error) bool {
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return true
}
