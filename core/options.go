package durable

import (
	"time"

	"github.com/durable-go/durable-go/core/plugin"
	"github.com/durable-go/durable-go/core/protocol"
)

// Option configures a durable handler (see Handler).
type Option func(*config)

// config is everything an Option can set.
type config struct {
	service protocol.Service
	logging logConfig
	plugins []plugin.Plugin
	// window is the durability window (WithCheckpointWindow); 0 checkpoints
	// each step outcome before Step returns.
	window time.Duration
}

func newConfig(opts []Option) *config {
	c := &config{}
	c.logging.init()
	for _, o := range opts {
		o(c)
	}
	return c
}

// withService makes the handler use svc instead of the AWS Lambda API
// client it would otherwise create from the default AWS configuration
// (WithLambdaClient). Tests of handlers use package durabletest, whose
// runner hands its service over through the invocation's context.
func withService(svc protocol.Service) Option { return func(c *config) { c.service = svc } }
