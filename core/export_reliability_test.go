package durable

import (
	"time"

	"github.com/durable-go/durable-go/core/protocol"
)

// WithServiceForTest makes a handler use svc, a test double of the
// service, for tests outside the package.
func WithServiceForTest(svc protocol.Service) Option { return withService(svc) }

// SetServiceBoundsForTest shortens the attempt timeout and the deadline
// margin of service calls (service_deadline.go) for tests outside the
// package; the returned function restores them.
func SetServiceBoundsForTest(attempt, margin time.Duration) (restore func()) {
	oldAttempt, oldMargin := serviceAttemptTimeout, serviceDeadlineMargin
	serviceAttemptTimeout, serviceDeadlineMargin = attempt, margin
	return func() { serviceAttemptTimeout, serviceDeadlineMargin = oldAttempt, oldMargin }
}

// NewTestLambdaService is a protocol.Service over a real aws-sdk-go-v2 Lambda client
// pointed at endpoint, with static credentials and three attempts per call
// without backoff delays.
func NewTestLambdaService(endpoint string) protocol.Service {
	return newLambdaService(newTestLambdaClient(endpoint))
}
