package handlers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
)

// waitForConditionEntries returns the handlers of the wait_for_condition suite (requirement ids 6-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func waitForConditionEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"6-1":  handlerEntry(countUpTo(0, nil)),
		"6-2":  handlerEntry(conditionAlreadyMet),
		"6-4":  handlerEntry(countUpTo(5, nil)),
		"6-5":  handlerEntry(countUpTo(0, fixedDelay(2*time.Second, 0))),
		"6-6":  handlerEntry(conditionNeverMet),
		"6-7":  handlerEntry(conditionCheckThrows),
		"6-9":  handlerEntry(conditionObjectState),
		"6-10": handlerEntry(conditionNullState),
		"6-11": handlerEntry(conditionCustomSerdes),
		"6-12": handlerEntry(conditionThenStep),
	}
}

// increment is a check that adds one to its state.
func increment(_ *durable.StepContext, n int) (int, error) { return n + 1, nil }

// fixedDelay returns a strategy config polling every d without jitter or
// backoff, for at most maxAttempts checks (0 for the default).
func fixedDelay(d time.Duration, maxAttempts int) *durable.WaitStrategyConfig[int] {
	return &durable.WaitStrategyConfig[int]{
		MaxAttempts:  maxAttempts,
		InitialDelay: d,
		MaxDelay:     d,
		BackoffRate:  1,
		Jitter:       durable.JitterNone,
	}
}

// countUpTo returns a handler that increments a counter from initial
// until it reaches the input threshold and returns it (6-1, 6-4, 6-5).
// base, when non-nil, sets the strategy's delays; otherwise the defaults
// apply.
func countUpTo(initial int, base *durable.WaitStrategyConfig[int]) func(*durable.Context, int) (int, error) {
	return func(ctx *durable.Context, threshold int) (int, error) {
		var cfg durable.WaitStrategyConfig[int]
		if base != nil {
			cfg = *base
		}
		cfg.ShouldContinue = func(n int) bool { return n < threshold }
		return durable.WaitForCondition(ctx, "", initial, increment, durable.ExponentialWaitStrategy(cfg))
	}
}

// conditionAlreadyMet starts from state 5, which already satisfies the
// condition, so the first check stops polling (6-2).
func conditionAlreadyMet(ctx *durable.Context, _ any) (int, error) {
	unchanged := func(_ *durable.StepContext, n int) (int, error) { return n, nil }
	return durable.WaitForCondition(ctx, "", 5, unchanged, durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[int]{
		ShouldContinue: func(n int) bool { return n < 5 },
	}))
}

// conditionNeverMet polls a condition that never holds with a strategy of
// three attempts, which fails the execution on the third check (6-6).
func conditionNeverMet(ctx *durable.Context, _ any) (int, error) {
	cfg := fixedDelay(time.Second, 3)
	cfg.ShouldContinue = func(int) bool { return true }
	return durable.WaitForCondition(ctx, "", 0, increment, durable.ExponentialWaitStrategy(*cfg))
}

// errCheckFailed is what the check of 6-7 raises.
var errCheckFailed = errors.New("condition check failed")

// conditionCheckThrows runs a check that fails on its first call (6-7).
func conditionCheckThrows(ctx *durable.Context, _ any) (int, error) {
	failing := func(*durable.StepContext, int) (int, error) { return 0, errCheckFailed }
	return durable.WaitForCondition(ctx, "", 0, failing, durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[int]{}))
}

// jobState is the structured state of 6-9.
type jobState struct {
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
}

// conditionObjectState threads a {status, attempts} object until status
// becomes DONE on the second check (6-9).
func conditionObjectState(ctx *durable.Context, _ any) (jobState, error) {
	check := func(_ *durable.StepContext, s jobState) (jobState, error) {
		s.Attempts++
		if s.Attempts >= 2 {
			s.Status = "DONE"
		}
		return s, nil
	}
	return durable.WaitForCondition(ctx, "", jobState{Status: "PENDING"}, check,
		durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[jobState]{
			ShouldContinue: func(s jobState) bool { return s.Status == "PENDING" },
		}))
}

// conditionNullState runs a check returning null and stops at once
// (6-10).
func conditionNullState(ctx *durable.Context, _ any) (any, error) {
	check := func(*durable.StepContext, any) (any, error) { return nil, nil }
	stop := func(any, int) (durable.WaitDecision, error) { return durable.WaitDecision{}, nil }
	return durable.WaitForCondition(ctx, "", nil, check, stop)
}

// prefixSerdes checkpoints a string state as "state:" followed by the
// string, and strips the prefix when reading it back.
var prefixSerdes = serdesFuncs{
	SerializeFunc: func(v any) (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("prefixSerdes: unsupported value %T", v)
		}
		return "state:" + s, nil
	},
	DeserializeFunc: func(data string, target any) error {
		p, ok := target.(*string)
		if !ok {
			return fmt.Errorf("prefixSerdes: unsupported target %T", target)
		}
		s, found := strings.CutPrefix(data, "state:")
		if !found {
			return fmt.Errorf("prefixSerdes: missing prefix in %q", data)
		}
		*p = s
		return nil
	},
}

// conditionCustomSerdes appends "x" to a string state, checkpointed with
// prefixSerdes, until it is two characters long (6-11).
func conditionCustomSerdes(ctx *durable.Context, _ any) (string, error) {
	check := func(_ *durable.StepContext, s string) (string, error) { return s + "x", nil }
	return durable.WaitForCondition(ctx, "", "", check, durable.ExponentialWaitStrategy(durable.WaitStrategyConfig[string]{
		ShouldContinue: func(s string) bool { return len(s) < 2 },
	}), durable.WithSerdes(prefixSerdes))
}

// conditionThenStep counts up to the input threshold, then multiplies the
// result by ten in a step (6-12).
func conditionThenStep(ctx *durable.Context, threshold int) (int, error) {
	n, err := countUpTo(0, nil)(ctx, threshold)
	if err != nil {
		return 0, err
	}
	return durable.Step(ctx, "", func(*durable.StepContext) (int, error) { return n * 10, nil })
}
