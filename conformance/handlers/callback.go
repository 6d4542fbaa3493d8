package handlers

import "github.com/durable-go/durable-go/conformance"

// callbackEntries returns the handlers of the callback suite (requirement ids 4-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func callbackEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
