//go:build ignore

// Stubs for blocks that pass a ready handler to durable.Handler, lambda.Start or the
// local runner.
package main

import (
	"context"

	durable "github.com/durable-go/durable-go/core"
)

type (
	Order   struct{ ID string }
	Receipt struct{}
)

var (
	ctx = context.Background()
	id  string
)

func process(*durable.Context, Order) (Receipt, error) { return Receipt{}, nil }

// handler is the name the adapter READMEs give it.
var handler = process

// attempts stands for a metrics library's counter vector.
var attempts interface {
	WithLabelValues(values ...string) interface{ Inc() }
}
