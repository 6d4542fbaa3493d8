//go:build ignore

// Stubs for the blocks setting up plugins/otel (README.md, plugins/otel/README.md): the
// handler and the exporters and meter provider the setup uses.
package main

import (
	durable "github.com/durable-go/durable-go/core"
	durableotel "github.com/durable-go/durable-go/plugins/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

type (
	Order   struct{ ID string }
	Receipt struct{}
)

var (
	exporter sdktrace.SpanExporter
	reader   sdkmetric.Reader
	mp       = sdkmetric.NewMeterProvider()
)

func process(*durable.Context, Order) (Receipt, error) { return Receipt{}, nil }

// The plugin's package is imported for the block, which names it.
var _ = durableotel.New
