package durable

import (
	"fmt"

	"github.com/durable-go/durable-go/core/protocol"
)

// CompletionReason says why a Map or Parallel finished.
type CompletionReason string

// Completion reasons, checked in this order.
const (
	FailureToleranceExceeded CompletionReason = "FAILURE_TOLERANCE_EXCEEDED"
	AllCompleted             CompletionReason = "ALL_COMPLETED"
	MinSuccessfulReached     CompletionReason = "MIN_SUCCESSFUL_REACHED"
)

// BatchItemStatus is the state of one map item or parallel branch.
type BatchItemStatus string

// Item statuses. STARTED marks an item still running (or suspended) when
// the batch completed.
const (
	ItemSucceeded BatchItemStatus = "SUCCEEDED"
	ItemFailed    BatchItemStatus = "FAILED"
	ItemStarted   BatchItemStatus = "STARTED"
)

// BatchItem is the outcome of one map item or parallel branch.
type BatchItem[T any] struct {
	Index  int                   `json:"index"`
	Status BatchItemStatus       `json:"status"`
	Result T                     `json:"result"`
	Error  *protocol.ErrorObject `json:"error,omitempty"`
}

// Err returns the item's error as an *OperationError, or nil.
func (it BatchItem[T]) Err() error {
	if it.Error == nil {
		return nil
	}
	return &OperationError{Kind: "BatchItemError", ErrorObject: *it.Error}
}

// BatchResult is what Map and Parallel return: every started item in index
// order (items never started are omitted) and why the batch completed.
// The batch operation itself succeeds even when items failed; call
// Err to turn the first failure into an error.
type BatchResult[T any] struct {
	All              []BatchItem[T]   `json:"all"`
	CompletionReason CompletionReason `json:"completionReason"`
}

// Succeeded returns the items that succeeded.
func (r *BatchResult[T]) Succeeded() []BatchItem[T] { return r.filter(ItemSucceeded) }

// Failed returns the items that failed.
func (r *BatchResult[T]) Failed() []BatchItem[T] { return r.filter(ItemFailed) }

// Started returns the items still running when the batch completed.
func (r *BatchResult[T]) Started() []BatchItem[T] { return r.filter(ItemStarted) }

func (r *BatchResult[T]) filter(s BatchItemStatus) []BatchItem[T] {
	var out []BatchItem[T]
	for _, it := range r.All {
		if it.Status == s {
			out = append(out, it)
		}
	}
	return out
}

// Results returns the results of the succeeded items, in index order.
func (r *BatchResult[T]) Results() []T {
	var out []T
	for _, it := range r.Succeeded() {
		out = append(out, it.Result)
	}
	return out
}

// Errors returns the errors of the failed items, in index order.
func (r *BatchResult[T]) Errors() []error {
	var out []error
	for _, it := range r.Failed() {
		out = append(out, it.Err())
	}
	return out
}

// SuccessCount returns how many items succeeded.
func (r *BatchResult[T]) SuccessCount() int { return len(r.Succeeded()) }

// FailureCount returns how many items failed.
func (r *BatchResult[T]) FailureCount() int { return len(r.Failed()) }

// StartedCount returns how many items were still running.
func (r *BatchResult[T]) StartedCount() int { return len(r.Started()) }

// TotalCount returns how many items are listed.
func (r *BatchResult[T]) TotalCount() int { return len(r.All) }

// HasFailure reports whether any item failed.
func (r *BatchResult[T]) HasFailure() bool { return r.FailureCount() > 0 }

// Status is FAILED if any item failed, SUCCEEDED otherwise.
func (r *BatchResult[T]) Status() BatchItemStatus {
	if r.HasFailure() {
		return ItemFailed
	}
	return ItemSucceeded
}

// Err returns the first failed item's error, or nil when no item failed.
func (r *BatchResult[T]) Err() error {
	for _, it := range r.All {
		if it.Error != nil {
			return fmt.Errorf("durable: item %d failed: %w", it.Index, it.Err())
		}
	}
	return nil
}

// completionConfig says when a Map or Parallel is complete (see
// WithMinSuccessful, WithToleratedFailures and
// WithToleratedFailurePercentage). With no criterion set, any failure
// completes it (fail-fast).
type completionConfig struct {
	// MinSuccessful completes the batch once this many items succeeded.
	MinSuccessful int
	// minSuccessfulSet tells WithMinSuccessful(0), which is invalid, from
	// no minimum.
	minSuccessfulSet bool
	// ToleratedFailureCount, when set, completes the batch once more
	// items than this failed.
	ToleratedFailureCount *int
	// ToleratedFailurePercentage, when set, completes the batch once the
	// failed share of all items exceeds it (0-100).
	ToleratedFailurePercentage *float64
}

// allSuccessful tolerates no failure (the Parallel default).
func allSuccessful() completionConfig {
	zero, zeroPct := 0, 0.0
	return completionConfig{ToleratedFailureCount: &zero, ToleratedFailurePercentage: &zeroPct}
}

func (c completionConfig) validate(total int) error {
	switch {
	case c.MinSuccessful < 0 || (c.minSuccessfulSet && c.MinSuccessful == 0) || (c.MinSuccessful > total && total > 0):
		return fmt.Errorf("%w: WithMinSuccessful(%d): must be between 1 and the item count %d", ErrInvalidArgument, c.MinSuccessful, total)
	case c.ToleratedFailureCount != nil && *c.ToleratedFailureCount < 0:
		return fmt.Errorf("%w: WithToleratedFailures: the count must not be negative", ErrInvalidArgument)
	case c.ToleratedFailurePercentage != nil && (*c.ToleratedFailurePercentage < 0 || *c.ToleratedFailurePercentage > 100):
		return fmt.Errorf("%w: WithToleratedFailurePercentage: the percentage must be between 0 and 100", ErrInvalidArgument)
	}
	return nil
}

// toleranceExceeded applies protocol §8.7.
func (c completionConfig) toleranceExceeded(failures, total int) bool {
	if c.MinSuccessful == 0 && c.ToleratedFailureCount == nil && c.ToleratedFailurePercentage == nil {
		return failures > 0
	}
	if c.ToleratedFailureCount != nil && failures > *c.ToleratedFailureCount {
		return true
	}
	if c.ToleratedFailurePercentage != nil && total > 0 && float64(failures)/float64(total)*100 > *c.ToleratedFailurePercentage {
		return true
	}
	return false
}

// reason returns why the batch is complete, or "" while it is not.
func (c completionConfig) reason(successes, failures, finished, total int) CompletionReason {
	switch {
	case c.toleranceExceeded(failures, total):
		return FailureToleranceExceeded
	case finished == total:
		return AllCompleted
	case c.MinSuccessful > 0 && successes >= c.MinSuccessful:
		return MinSuccessfulReached
	}
	return ""
}
