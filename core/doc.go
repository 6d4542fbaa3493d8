// Package durable is a Go SDK for AWS Lambda durable functions.
//
// A durable function is an ordinary Lambda handler that the durable
// execution service re-runs (replays) from checkpoints. Durable operations
// (Step, Wait, RunInChildContext, CreateCallback, Invoke, Map, Parallel, ...)
// checkpoint their outcome; on replay a completed operation returns its
// recorded result instead of running again.
//
// Wrap a handler with Handler and pass it to lambda.Start:
//
//	func main() { lambda.Start(durable.Handler(process)) }
//
// Logging through Context.Logger is replay-aware: a line logged before a
// checkpoint prints once, not once per replay.
package durable
