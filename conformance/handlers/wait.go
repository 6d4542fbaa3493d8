package handlers

import "github.com/durable-go/durable-go/conformance"

// waitEntries returns the handlers of the wait suite (requirement ids 2-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func waitEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
