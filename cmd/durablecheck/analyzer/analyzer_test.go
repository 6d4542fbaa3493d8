package analyzer_test

import (
	"testing"

	"github.com/durable-go/durable-go/cmd/durablecheck/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestNondeterminism(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/nondeterminism")
}

func TestMapRange(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/maprange")
}

func TestConcurrency(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/concurrency")
}

func TestOuterCtx(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "example.com/outerctx")
}

func TestStepCtx(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/stepctx")
}

func TestStepCapture(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/stepcapture")
}

func TestLogging(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/logging")
}

func TestLoggingFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "example.com/logfix")
}

func TestTransitive(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/helpers", "example.com/transitive")
}

func TestSuppress(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "example.com/suppress")
}
