package durable

import (
	"context"
	"log/slog"

	"github.com/durable-go/durable-go/core/internal/logattr"
)

// slogView is a context logger seen as a slog.Handler (Logger.Handler):
// records pass the scope's gates and reach its logger with its
// enrichment.
type slogView struct{ s *logScope }

// Enabled reports whether a record at level would be emitted now: slog
// asks before it builds the record, so a replayed line costs no more than
// a disabled one.
func (h *slogView) Enabled(ctx context.Context, level slog.Level) bool {
	if h.s == nil {
		return false
	}
	_, _, emit := h.s.gate(h.s.lineContext(ctx), level)
	return emit || h.s.obs != nil
}

// Handle logs r through the scope. A record logged with
// context.Background (slog's Info, Debug ...) reaches the logger with the
// scope's own Go context instead.
func (h *slogView) Handle(ctx context.Context, r slog.Record) error {
	s := h.s
	if s == nil {
		return nil
	}
	ctx = s.lineContext(ctx)
	out, replay, emit := s.gate(ctx, r.Level)
	var buf [8]slog.Attr
	attrs := buf[:0]
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	if emit {
		pc := r.PC
		if !s.wantPC {
			pc = 0
		}
		s.emit(ctx, out, r.Message, replay, false, nil, nil, attrs, pc)
	}
	if s.obs != nil {
		s.observe(r.Level, r.Message, nil, nil, attrs, emit)
	}
	return nil
}

// lineContext is the context a record logged with ctx reaches the logger
// with: ctx, or the scope's own Go context for context.Background (what
// slog's Info, Debug ... pass).
func (s *logScope) lineContext(ctx context.Context) context.Context {
	if ctx == nil || ctx == context.Background() {
		return s.goctx
	}
	return ctx
}

// WithAttrs binds attrs as Logger.With does.
func (h *slogView) WithAttrs(attrs []slog.Attr) slog.Handler {
	if h.s == nil || len(attrs) == 0 {
		return h
	}
	return &slogView{s: h.s.with(logattr.AppendAttrs(nil, attrs))}
}

// WithGroup opens a group as Logger.WithGroup does.
func (h *slogView) WithGroup(name string) slog.Handler {
	if h.s == nil || name == "" {
		return h
	}
	return &slogView{s: h.s.withGroup(name)}
}
