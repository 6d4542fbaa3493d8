package handlers

import "github.com/durable-go/durable-go/conformance"

// parallelEntries returns the handlers of the parallel suite (requirement ids 8-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func parallelEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
