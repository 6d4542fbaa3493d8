// Command durablecheck reports code that breaks, or logs again, when a
// durable-go function replays: non-deterministic inputs, map-order and
// goroutine-order dependent operations, captured contexts, loggers that
// are not replay-aware (with a suggested rewrite to ctx.Logger()) and
// step bodies that run operations or assign captured variables.
//
// Run it on its own or as a vet tool:
//
//	durablecheck ./...
//	go vet -vettool=$(which durablecheck) ./...
//
// See package analyzer for the rules and the //durable:ignore suppression.
package main

import (
	"github.com/durable-go/durable-go/cmd/durablecheck/analyzer"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
