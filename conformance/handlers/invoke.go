package handlers

import (
	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/core/durabletest"
)

// invokeEntries returns the handlers of the invoke suite (requirement ids
// 5-*), keyed by requirement id. Add one entry per requirement; declare
// intentional gaps with Entry.NotImplemented and a reason.
func invokeEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}

// invokeTargets returns the functions the invoke suite calls (an echo
// target, an always-failing target, ...), keyed by function name, for
// example "echo:$LATEST"; handlers reach them through env.Targets["echo"].
func invokeTargets() map[string]func(env *conformance.Env) durabletest.Handler {
	return map[string]func(env *conformance.Env) durabletest.Handler{}
}
