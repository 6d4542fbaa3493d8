package handlers

import "github.com/durable-go/durable-go/conformance"

// pluginEntries returns the handlers of the plugin suite (requirement ids 10-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func pluginEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{}
}
