// Package grpc is a stub of gRPC's client API for the analyzer's tests.
package grpc

import "context"

// CallOption configures a call.
type CallOption interface{}

// ClientConnInterface is what generated clients call through.
type ClientConnInterface interface {
	Invoke(ctx context.Context, method string, args any, reply any, opts ...CallOption) error
}

// ClientConn is a connection.
type ClientConn struct{}

func (cc *ClientConn) Invoke(ctx context.Context, method string, args any, reply any, opts ...CallOption) error {
	return nil
}
