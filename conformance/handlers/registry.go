// Package handlers holds the Go handlers that implement the conformance
// requirements, one file per suite, and the invoke-target functions they
// call. Registry assembles them for the harness in package conformance.
package handlers

import (
	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/core/durabletest"
)

// Registry returns every requirement handler and invoke target.
func Registry() conformance.Registry {
	reg := conformance.Registry{
		Entries: map[string]conformance.Entry{},
		Targets: targets(),
	}
	suites := []map[string]conformance.Entry{
		stepEntries(),
		waitEntries(),
		childEntries(),
		callbackEntries(),
		invokeEntries(),
		waitForConditionEntries(),
		waitForCallbackEntries(),
		parallelEntries(),
		mapEntries(),
		pluginEntries(),
	}
	for _, entries := range suites {
		for id, e := range entries {
			reg.Entries[id] = e
		}
	}
	return reg
}

// targets returns the invoke-target functions, keyed by the function name
// the runner registers (see conformance.Env.Targets for how handlers find
// them). Filled in by the invoke suite.
func targets() map[string]func(env *conformance.Env) durabletest.Handler {
	return invokeTargets()
}
