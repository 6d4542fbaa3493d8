package analyzer_test

import (
	"testing"

	"github.com/durable-go/durable-go/cmd/durablecheck/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestNondeterminism(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/nondeterminism")
}
