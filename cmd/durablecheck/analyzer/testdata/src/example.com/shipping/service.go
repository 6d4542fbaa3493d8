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

// Notifier has clocks read only in step code: a callback's submitter, a
// retry strategy, a closure only step bodies call, a helper whose
// returned closure is the step body.
type Notifier struct {
	Sent    func() time.Time
	Backoff func() time.Time
	Polled  func() time.Time
	Later   func() time.Time
}

func (n *Notifier) stamper() func(*durable.StepContext) (time.Time, error) {
	return func(*durable.StepContext) (time.Time, error) { return n.Later(), nil }
}

// Notify reads its clocks in step code only: nothing to report in main.
func (n *Notifier) Notify(ctx *durable.Context, to string) (string, error) {
	poll := func() time.Time { return n.Polled() }
	_, err := durable.Step(ctx, "poll", func(*durable.StepContext) (time.Time, error) { return poll(), nil },
		durable.WithRetryStrategy(func(err error, attempt int) durable.RetryDecision {
			_ = n.Backoff()
			return durable.RetryDecision{}
		}))
	if err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "later", n.stamper()); err != nil {
		return "", err
	}
	return durable.WaitForCallback[string](ctx, "ack", func(sc *durable.StepContext, id string) error {
		_ = n.Sent()
		return nil
	})
}
