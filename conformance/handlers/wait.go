package handlers

import (
	"time"

	"github.com/durable-go/durable-go/conformance"
	durable "github.com/durable-go/durable-go/core"
)

// waitEntries returns the handlers of the wait suite (requirement ids 2-*), keyed
// by requirement id. Add one entry per requirement; declare intentional
// gaps with Entry.NotImplemented and a reason.
func waitEntries() map[string]conformance.Entry {
	return map[string]conformance.Entry{
		"2-1": handlerEntry(waitFor("", 2*time.Second)),
		"2-2": handlerEntry(waitFor("custom_wait_name", 2*time.Second)),
		"2-4": handlerEntry(waitFor("", time.Minute)),
		"2-5": handlerEntry(waitFor("", time.Hour)),
	}
}

// waitFor returns a handler that waits once, for d, under name ("" for an
// unnamed wait), and returns null.
func waitFor(name string, d time.Duration) func(*durable.Context, any) (any, error) {
	return func(ctx *durable.Context, _ any) (any, error) {
		return nil, durable.Wait(ctx, name, d)
	}
}
