package handlers

import "github.com/durable-go/durable-go/conformance"

// mapEntries returns the handlers of the map suite (requirement ids 9-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func mapEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
