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

type ListFunctionsInput struct{ Marker *string }
type ListFunctionsOutput struct{ NextMarker *string }

// ListFunctionsPaginator pages through ListFunctions.
type ListFunctionsPaginator struct{}

func NewListFunctionsPaginator(c *Client, in *ListFunctionsInput) *ListFunctionsPaginator {
	return &ListFunctionsPaginator{}
}

func (p *ListFunctionsPaginator) HasMorePages() bool { return false }

func (p *ListFunctionsPaginator) NextPage(ctx context.Context, optFns ...func(*Options)) (*ListFunctionsOutput, error) {
	return nil, nil
}

type GetFunctionInput struct{ FunctionName *string }

// FunctionActiveV2Waiter waits for a function to be active.
type FunctionActiveV2Waiter struct{}

func (w *FunctionActiveV2Waiter) Wait(ctx context.Context, in *GetFunctionInput, maxWait int64) error {
	return nil
}
