package handlers

import "github.com/durable-go/durable-go/conformance"

// waitForConditionEntries returns the handlers of the wait_for_condition suite (requirement ids 6-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func waitForConditionEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
