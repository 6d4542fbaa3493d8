package durable

import (
	"testing"

	"github.com/durable-go/durable-go/core/protocol"
)

// BenchmarkCheckUse measures what the misuse checks add to every durable
// operation (replayed ones included), next to the cheapest thing an
// operation does anyway: one lookup in the state map. Compare with the
// ns/step of BenchmarkReplay10kSteps.
func BenchmarkCheckUse(b *testing.B) {
	inv := &invocation{state: newExecutionState()}
	c := &Context{inv: inv, task: &task{inv: inv}}
	b.Run("checkUse", func(b *testing.B) {
		c.task.g = curGoroutine() // sub-benchmarks run on their own goroutine
		for b.Loop() {
			if c.checkUse(protocol.SubTypeStep, "", false) != nil {
				b.Fatal("misuse reported")
			}
		}
	})
	b.Run("state-lookup", func(b *testing.B) {
		for b.Loop() {
			if inv.state.get("x") != nil {
				b.Fatal("found")
			}
		}
	})
}
