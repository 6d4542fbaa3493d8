// Package durable is a stub of the durable-go SDK's API for the analyzer's
// tests: the names and signatures durablecheck keys on, no behaviour.
package durable

import (
	"context"
	"log/slog"
	"time"
)

type Context struct{}

func (c *Context) Context() context.Context   { return context.Background() }
func (c *Context) Logger() Logger             { return Logger{} }
func (c *Context) IsReplaying() bool          { return false }
func (c *Context) GetLogger() LoggerInterface { return nil }

type LoggerInterface interface {
	Debug(msg string, args ...any)
	Info(msg string, args ...any)
	Warning(msg string, args ...any)
	Error(msg string, args ...any)
	Exception(msg string, err error, args ...any)
}

type StepContext struct{}

func (s *StepContext) Context() context.Context { return context.Background() }
func (s *StepContext) Logger() Logger           { return Logger{} }
func (s *StepContext) Attempt() int             { return 1 }

type Level = slog.Level

type Logger struct{}

func (l Logger) Debug(msg string, args ...any)                        {}
func (l Logger) Info(msg string, args ...any)                         {}
func (l Logger) Warning(msg string, args ...any)                      {}
func (l Logger) Error(msg string, args ...any)                        {}
func (l Logger) Exception(msg string, err error, args ...any)         {}
func (l Logger) Debugf(format string, args ...any)                    {}
func (l Logger) Infof(format string, args ...any)                     {}
func (l Logger) Warningf(format string, args ...any)                  {}
func (l Logger) Errorf(format string, args ...any)                    {}
func (l Logger) LogAttrs(level Level, msg string, attrs ...slog.Attr) {}
func (l Logger) With(args ...any) Logger                              { return l }
func (l Logger) WithGroup(name string) Logger                         { return l }
func (l Logger) Slog() *slog.Logger                                   { return slog.New(l.Handler()) }
func (l Logger) Handler() slog.Handler                                { return slog.Default().Handler() }

type Option func()
type StepOption func()
type ChildOption func()
type BatchOption func()
type CallbackOption func()
type InvokeOption func()
type SerdesOption struct{}

type RetryDecision struct {
	ShouldRetry bool
	Delay       time.Duration
}
type RetryStrategy func(err error, attempt int) RetryDecision

func WithRetryStrategy(s RetryStrategy) StepOption { return nil }

type WaitDecision struct {
	Continue bool
	Delay    time.Duration
}
type WaitStrategy[S any] func(state S, attempt int) (WaitDecision, error)

type Function struct{}

func Handler[In, Out any](fn func(*Context, In) (Out, error), opts ...Option) *Function { return nil }

func Step[T any](ctx *Context, name string, fn func(*StepContext) (T, error), opts ...StepOption) (T, error) {
	var zero T
	return zero, nil
}

func Wait(ctx *Context, name string, d time.Duration) error { return nil }

func RunInChildContext[T any](ctx *Context, name string, fn func(*Context) (T, error), opts ...ChildOption) (T, error) {
	var zero T
	return zero, nil
}

type BatchResult[T any] struct{}

func (r *BatchResult[T]) Err() error { return nil }

func Map[In, Out any](ctx *Context, name string, items []In, fn func(ctx *Context, item In, index int, items []In) (Out, error), opts ...BatchOption) (*BatchResult[Out], error) {
	return nil, nil
}

type Branch[T any] struct {
	Name string
	Func func(*Context) (T, error)
}

func Parallel[T any](ctx *Context, name string, branches []Branch[T], opts ...BatchOption) (*BatchResult[T], error) {
	return nil, nil
}

type Callback[T any] struct{}

func (cb *Callback[T]) ID() string { return "" }
func (cb *Callback[T]) Result() (T, error) {
	var zero T
	return zero, nil
}

func CreateCallback[T any](ctx *Context, name string, opts ...CallbackOption) (*Callback[T], error) {
	return nil, nil
}

func WaitForCallback[T any](ctx *Context, name string, submit func(sc *StepContext, callbackID string) error, opts ...CallbackOption) (T, error) {
	var zero T
	return zero, nil
}

func WaitForCondition[S any](ctx *Context, name string, initial S, check func(sc *StepContext, state S) (S, error), strategy WaitStrategy[S], opts ...SerdesOption) (S, error) {
	var zero S
	return zero, nil
}

func Invoke[Out any](ctx *Context, name, functionName string, input any, opts ...InvokeOption) (Out, error) {
	var zero Out
	return zero, nil
}

type WaitStrategyConfig[S any] struct {
	ShouldContinue func(state S) bool
	MaxAttempts    int
	InitialDelay   time.Duration
}

func ExponentialWaitStrategy[S any](cfg WaitStrategyConfig[S]) WaitStrategy[S] { return nil }

func WithResultSummary(f func(result string) string) ChildOption { return nil }
