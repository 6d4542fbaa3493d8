package shipping

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// Service has an injected clock: main sets it to time.Now, the tests to
// a fake.
type Service struct {
	Now   func() time.Time // want Now:"shipping.Service.Now called in durable code .shipping.Service.Deadline at service.go:29."
	Stamp func() time.Time // read only in a step body
}

// Ship reads the clock in a step: fine whatever the clock is.
func (s *Service) Ship(ctx *durable.Context, carrier string) (time.Time, error) {
	at, err := durable.Step(ctx, "stamp", func(*durable.StepContext) (time.Time, error) { return s.Stamp(), nil })
	if err != nil {
		return at, err
	}
	return at, book(ctx, quote{carrier: carrier})
}

// Deadline reads the clock outside a step: reported where main sets it
// to time.Now, not where a test sets it to a fake.
func (s *Service) Deadline(ctx *durable.Context, in time.Duration) (time.Time, error) {
	_ = ctx
	return s.Now().Add(in), nil
}
