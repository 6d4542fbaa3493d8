//go:build ignore

// Stubs for README.md's "Each operation in a few lines" block: the handler's context and
// the services and types the snippets call.
package main

import (
	"context"

	durable "github.com/durable-go/durable-go/core"
)

var ctx *durable.Context

type (
	Cart     struct{}
	Label    struct{}
	Shipment struct{}
	Approval struct{}
	Quote    struct{}
	Image    struct{}
	Job      struct {
		ID   string
		Done bool
	}
)

var (
	cart   Cart
	req    struct{ SKU string }
	tenant string
	id     string
	images []Image

	prices struct {
		Total func(context.Context, Cart) (float64, error)
	}
	mail    struct{ Ask func(callbackID string) error }
	tickets struct {
		Open func(ctx context.Context, callbackID string) error
	}
	exports struct {
		Status func(ctx context.Context, jobID string) (Job, error)
	}

	printLabel     func(*durable.StepContext) (Label, error)
	schedulePickup func(Label) func(*durable.StepContext) (Shipment, error)
	resize         func(Image) (string, error)
	fraudCheck     func(*durable.Context) (bool, error)
	stockCheck     func(*durable.Context) (bool, error)
)
