package slogadapter

import (
	"context"
	"log/slog"
	"sync"

	durable "github.com/durable-go/durable-go/core"
)

// argsToAttrs converts LoggerInterface args (key/value pairs, slog.Attr,
// durable.Extra) to attributes. Core owns those rules: durable.NewSlogLogger
// applies them in its With and hands the result to its handler's WithAttrs,
// so binding args on a logger over an attrCatcher yields exactly the
// attributes core would bind.
func argsToAttrs(args []any) []slog.Attr {
	if len(args) == 0 {
		return nil
	}
	var c attrCatcher
	if b, ok := durable.NewSlogLogger(&c).(durable.Binder); ok {
		b.With(args...)
	}
	return c.attrs
}

// attrCatcher is a slog.Handler that only records what WithAttrs receives.
type attrCatcher struct{ attrs []slog.Attr }

func (c *attrCatcher) Enabled(context.Context, slog.Level) bool  { return false }
func (c *attrCatcher) Handle(context.Context, slog.Record) error { return nil }
func (c *attrCatcher) WithGroup(string) slog.Handler             { return c }

func (c *attrCatcher) WithAttrs(attrs []slog.Attr) slog.Handler {
	c.attrs = append(c.attrs, attrs...)
	return c
}

// Buffers for the copies of args and attrs that forward and LogAttrs hand
// to the sink, which like an io.Writer does not retain them.
var (
	argBuffers  buffers[any]
	attrBuffers buffers[slog.Attr]
)

// maxPooled keeps one huge call from pinning a large buffer in the pool.
const maxPooled = 256

// buffers is a pool of slices of T.
type buffers[T any] struct{ pool sync.Pool }

// copy returns a pooled slice holding src's elements; release it after use.
func (b *buffers[T]) copy(src []T) *[]T {
	p, _ := b.pool.Get().(*[]T)
	if p == nil {
		p = new([]T)
	}
	*p = append((*p)[:0], src...)
	return p
}

func (b *buffers[T]) release(p *[]T) {
	if cap(*p) > maxPooled {
		return
	}
	clear(*p)
	*p = (*p)[:0]
	b.pool.Put(p)
}
