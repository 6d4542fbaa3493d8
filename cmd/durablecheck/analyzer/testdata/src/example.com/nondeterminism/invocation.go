package nondeterminism

import (
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	durable "github.com/durable-go/durable-go/core"
)

// Invocation: what belongs to one invocation (its request id, its
// deadline) differs on the next.
func Invocation(ctx *durable.Context) (string, error) {
	lc, _ := lambdacontext.FromContext(ctx.Context())                    // want `nondeterminism: lambdacontext.FromContext in durable code`
	if d, ok := ctx.Context().Deadline(); ok && d.Sub(time.Time{}) > 0 { // want `nondeterminism: context.Context.Deadline in durable code`
		return lc.InvokedFunctionArn, nil
	}
	return durable.Step(ctx, "key", func(sc *durable.StepContext) (string, error) {
		lc, _ := lambdacontext.FromContext(sc.Context())
		_, _ = sc.Context().Deadline()
		return lc.AwsRequestID, nil
	})
}
