// Package stepcapture: rule stepcapture.
package stepcapture

import (
	durable "github.com/durable-go/durable-go/core"
)

type order struct {
	ID    string
	Total int
}

func Handler(ctx *durable.Context, o order) (int, error) {
	var reservation string
	attempts := 0
	seen := map[string]bool{}
	var ids []string
	_, err := durable.Step(ctx, "reserve", func(sc *durable.StepContext) (bool, error) {
		reservation = "rsv-" + o.ID // want `stepcapture: the step body assigns reservation, captured from durable code: the step body is skipped on replay, so the code after it sees another value of reservation; return the value from the step body and use its result`
		attempts++                  // want `stepcapture: the step body assigns attempts`
		o.Total = 42                // want `stepcapture: the step body assigns o`
		seen[o.ID] = true           // want `stepcapture: the step body assigns seen`
		ids = append(ids, o.ID)     // want `stepcapture: the step body assigns ids`

		// Locals of the step body are its own.
		local := 0
		local++
		var tmp order
		tmp.ID = o.ID
		return local > 0 && tmp.ID != "", nil
	})
	if err != nil {
		return 0, err
	}
	state := 0
	_, _ = durable.WaitForCondition(ctx, "poll", 0, func(sc *durable.StepContext, n int) (int, error) {
		state = n // want `stepcapture: the wait-for-condition check assigns state`
		return n + 1, nil
	}, nil)
	var callbackID string
	_, _ = durable.WaitForCallback[string](ctx, "approve", func(sc *durable.StepContext, id string) error {
		callbackID = id // want `stepcapture: the callback submitter assigns callbackID`
		return nil
	})
	// The fix: return the value from the step.
	rsv, err := durable.Step(ctx, "reserve-2", func(sc *durable.StepContext) (string, error) {
		return "rsv-" + o.ID, nil
	})
	// Assignments in durable code itself are fine.
	reservation = rsv
	return len(reservation) + attempts + state + len(callbackID) + len(ids) + len(seen), err
}

// counter is package state, not captured from durable code.
var counter int

func Package(ctx *durable.Context, _ string) (int, error) {
	return durable.Step(ctx, "count", func(sc *durable.StepContext) (int, error) {
		counter++
		return counter, nil
	})
}

// Nested: a step body in a map item or child assigns a variable of the
// handler around them.
func Nested(ctx *durable.Context, ids []string) (int, error) {
	total := 0
	_, err := durable.Map(ctx, "items", ids, func(item *durable.Context, id string, i int, _ []string) (int, error) {
		return durable.Step(item, id, func(sc *durable.StepContext) (int, error) {
			total += i // want `stepcapture: the step body assigns total`
			return i, nil
		})
	})
	last := ""
	_, _ = durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		own := 0
		_, err := durable.Step(child, "s", func(sc *durable.StepContext) (int, error) {
			last = "s" // want `stepcapture: the step body assigns last`
			own++      // want `stepcapture: the step body assigns own`
			return 0, nil
		})
		return own, err
	})
	return total + len(last), err
}

// StepCode: a closure called only from step bodies, and a function
// literal handed to a wrapper of durable.Step, are step code: they assign
// captured variables like a step body does.
func StepCode(ctx *durable.Context, id string) (string, error) {
	var status string
	fetch := func() (bool, error) {
		status = "fetched " + id // want `stepcapture: the step body assigns status`
		return true, nil
	}
	_, err := durable.Step(ctx, "fetch", func(sc *durable.StepContext) (bool, error) { return fetch() })
	_, _ = inStep(ctx, func() error {
		status += "!" // want `stepcapture: the step body assigns status`
		return nil
	})
	return status, err
}

func inStep(ctx *durable.Context, fn func() error) (bool, error) {
	return durable.Step(ctx, "in-step", func(*durable.StepContext) (bool, error) { return true, fn() })
}
