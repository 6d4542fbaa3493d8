package handlers

import (
	"encoding/json"
	"errors"
	"fmt"

	durable "github.com/durable-go/durable-go/core"
)

// batchProjection is the summary the completion-config requirements
// return; Status is left out when a requirement's projection omits it.
type batchProjection struct {
	CompletionReason durable.CompletionReason `json:"completionReason"`
	Status           durable.BatchItemStatus  `json:"status,omitempty"`
	SuccessCount     int                      `json:"successCount"`
	FailureCount     int                      `json:"failureCount"`
	TotalCount       int                      `json:"totalCount"`
}

// projectBatch summarises a batch result for the completion-config
// requirements.
func projectBatch[T any](r *durable.BatchResult[T]) batchProjection {
	return batchProjection{
		CompletionReason: r.CompletionReason,
		Status:           r.Status(),
		SuccessCount:     r.SuccessCount(),
		FailureCount:     r.FailureCount(),
		TotalCount:       r.TotalCount(),
	}
}

// orderedResults returns the successful results in index order, never nil,
// so an empty batch serializes as [] rather than null.
func orderedResults[T any](r *durable.BatchResult[T]) []T {
	out := r.Results()
	if out == nil {
		out = []T{}
	}
	return out
}

// constBranch returns a branch that returns v directly, without a step.
func constBranch[T any](v T) durable.Branch[T] {
	return durable.Branch[T]{Func: func(*durable.Context) (T, error) { return v, nil }}
}

// stepBranch returns a branch running one step that returns v.
func stepBranch[T any](stepName string, v T) durable.Branch[T] {
	return durable.Branch[T]{Func: func(ctx *durable.Context) (T, error) {
		return durable.Step(ctx, stepName, func(*durable.StepContext) (T, error) { return v, nil })
	}}
}

// failBranch returns a branch that fails with the given message.
func failBranch[T any](msg string) durable.Branch[T] {
	return durable.Branch[T]{Func: func(*durable.Context) (T, error) {
		var zero T
		return zero, errors.New(msg)
	}}
}

// branchPlan builds string branches from a pattern: 'S' returns "ok",
// 'F' fails.
func branchPlan(pattern string) []durable.Branch[string] {
	branches := make([]durable.Branch[string], 0, len(pattern))
	for i, c := range pattern {
		if c == 'F' {
			branches = append(branches, failBranch[string](fmt.Sprintf("branch %d failed", i)))
			continue
		}
		branches = append(branches, constBranch("ok"))
	}
	return branches
}

// tolerateCount is the batch option tolerating n failed branches.
func tolerateCount(n int) durable.BatchOption { return durable.WithToleratedFailures(n) }

// wrappingSerdes serializes v as {"wrapped": v} and reads that envelope
// back into v.
var wrappingSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		b, err := json.Marshal(map[string]any{"wrapped": v})
		return string(b), err
	},
	DeserializeFunc: func(data string, target any) error {
		var env struct {
			Wrapped json.RawMessage `json:"wrapped"`
		}
		if err := json.Unmarshal([]byte(data), &env); err != nil {
			return fmt.Errorf("unwrap: %w", err)
		}
		return json.Unmarshal(env.Wrapped, target)
	},
}

// tolerancePercent is the batch option tolerating up to pct percent
// failed branches.
func tolerancePercent(pct float64) durable.BatchOption {
	return durable.WithToleratedFailurePercentage(pct)
}
