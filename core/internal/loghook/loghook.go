// Package loghook carries what package logtest needs from package durable
// without durable exporting it: a context logger built outside any durable
// invocation. Package durable sets NewLogger when it is initialized;
// logtest, which imports durable, finds it set.
package loghook

// NewLogger returns a durable.Logger (as any; this package cannot import
// durable) over sink, a durable.LoggerInterface, with the gates of a
// context logger: the AWS_LAMBDA_LOG_LEVEL level, then replaying, asked at
// every call (nil means never replaying). opts are durable.Options; only
// the logging ones apply.
var NewLogger func(sink any, replaying func() bool, opts []any) any
