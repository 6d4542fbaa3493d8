package analyzer_test

import (
	"testing"

	"github.com/durable-go/durable-go/cmd/durablecheck/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestRules runs the analyzer over one testdata package per rule (plus
// helpers/transitive for calls followed into helpers, suppress, and
// clock/orders/ordersmain for function-valued fields set in one package
// and called in another, and shipping/shippingmain, realistic handlers
// using Go's concurrency idioms and an injected clock); the
// packages' // want comments say what must be reported, and nothing else
// may be. One run loads them all, the standard library once.
func TestRules(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer,
		"example.com/nondeterminism",
		"example.com/maprange",
		"example.com/concurrency",
		"example.com/logging", "example.com/slogview",
		"example.com/stepctx",
		"example.com/stepcapture",
		"example.com/helpers", "example.com/transitive",
		"example.com/suppress",
		"example.com/recursion", "example.com/assigned", "example.com/stepcode",
		"example.com/wrappers",
		"example.com/clock", "example.com/orders", "example.com/ordersmain",
		"example.com/shipping", "example.com/shippingmain",
	)
}

// TestSuggestedFixes applies every suggested fix (rules logging and
// outerctx) and compares the result with the packages' .golden files.
func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "example.com/logfix", "example.com/outerctx")
}
