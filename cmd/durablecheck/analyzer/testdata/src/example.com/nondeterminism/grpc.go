package nondeterminism

import (
	"context"

	durable "github.com/durable-go/durable-go/core"
	"google.golang.org/grpc"
)

// ordersClient is what protoc-gen-go-grpc generates.
type ordersClient struct{ cc grpc.ClientConnInterface }

func (c *ordersClient) Get(ctx context.Context, id string, opts ...grpc.CallOption) (string, error) { // want Get:"nondeterminism: nondeterminism.ordersClient.Get → grpc.ClientConnInterface.Invoke"
	var out string
	err := c.cc.Invoke(ctx, "/orders.Orders/Get", id, &out, opts...)
	return out, err
}

// GRPC: a generated gRPC client's calls are network calls.
func GRPC(ctx *durable.Context, c *ordersClient) (string, error) { // want GRPC:"runs no durable operation"
	return c.Get(ctx.Context(), "42") // want `nondeterminism: grpc.ClientConnInterface.Invoke in durable code \(via nondeterminism.ordersClient.Get\)`
}
