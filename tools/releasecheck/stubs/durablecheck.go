//go:build ignore

// Stubs for the blocks of cmd/durablecheck/README.md: the durable context, a struct
// with a logger field and a helper that logs through the logger it is handed.
package main

import (
	"log/slog"

	durable "github.com/durable-go/durable-go/core"
)

var (
	ctx *durable.Context
	id  string
	s   struct{ log *slog.Logger }
)

func library(l *slog.Logger) { l.Info("library") }
