package handlers

import "github.com/durable-go/durable-go/conformance"

// waitForCallbackEntries returns the handlers of the wait_for_callback suite (requirement ids 7-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func waitForCallbackEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
