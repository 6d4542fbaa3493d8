// Package lambdacontext is a stub of aws-lambda-go's for the analyzer's
// tests.
package lambdacontext

import "context"

// LambdaContext is the invocation's metadata.
type LambdaContext struct {
	AwsRequestID       string
	InvokedFunctionArn string
}

// FromContext returns the invocation's metadata.
func FromContext(ctx context.Context) (*LambdaContext, bool) { return nil, false }
