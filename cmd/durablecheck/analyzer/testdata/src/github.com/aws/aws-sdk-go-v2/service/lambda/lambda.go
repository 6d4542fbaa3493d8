// Package lambda is a stub of the AWS SDK's Lambda client for the
// analyzer's tests.
package lambda

import "context"

type Options struct{ Region string }

type Client struct{}

type InvokeInput struct{ FunctionName *string }
type InvokeOutput struct{ Payload []byte }

func (c *Client) Invoke(ctx context.Context, in *InvokeInput, optFns ...func(*Options)) (*InvokeOutput, error) {
	return nil, nil
}

func (c *Client) Options() Options { return Options{} }
