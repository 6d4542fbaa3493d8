package handlers

import "github.com/durable-go/durable-go/conformance"

// stepEntries returns the handlers of the step suite (requirement ids 1-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func stepEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
