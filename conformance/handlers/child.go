package handlers

import "github.com/durable-go/durable-go/conformance"

// childEntries returns the handlers of the child suite (requirement ids 3-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func childEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
