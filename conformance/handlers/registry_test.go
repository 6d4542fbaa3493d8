package handlers_test

import (
	"path/filepath"
	"testing"

	"github.com/durable-go/durable-go/conformance"
	"github.com/durable-go/durable-go/conformance/handlers"
)

// TestRegistryNamesKnownRequirements catches typos in requirement ids and
// entries that neither run nor declare a gap.
func TestRegistryNamesKnownRequirements(t *testing.T) {
	reqs, err := conformance.Load(filepath.Join("..", "testdata", "requirements"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, r := range reqs {
		known[r.ID] = true
	}
	reg := handlers.Registry()
	for id, e := range reg.Entries {
		if !known[id] {
			t.Errorf("entry %q names no requirement of the vendored set", id)
		}
		if e.New == nil && e.NotImplemented == "" {
			t.Errorf("entry %q has neither a handler nor a NotImplemented reason", id)
		}
	}
	for fn, newTarget := range reg.Targets {
		if fn == "" || newTarget == nil {
			t.Errorf("target %q is unusable", fn)
		}
	}
}
